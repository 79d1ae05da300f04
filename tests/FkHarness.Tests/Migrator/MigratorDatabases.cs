using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrator;

/// <summary>Databases for migrator tests: a clone of the baseline, installed once per run by the migrator's own <c>baseline</c>.</summary>
internal static class MigratorDatabases
{
    public const string Up025 = "025_add_missing_text_fk_constraints";
    public const string Up026 = "026_add_array_fk_validation";

    public static Task<TestDatabase> BaselineAsync(PostgresFixture fixture) =>
        fixture.CreateDatabaseAsync("tpl_migrator_baseline", async connectionString =>
        {
            var result = await new BaselineInstaller().InstallAsync(connectionString);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("Installing the baseline template failed: " + result.Error);
            }
        });

    /// <summary>The journaled migrations; none when the journal table does not exist (it is created with the first journaled script).</summary>
    public static async Task<IReadOnlyList<string>> JournalAsync(TestDatabase database)
    {
        if (!await database.ScalarAsync<bool>("SELECT to_regclass('fkharness.schema_versions') IS NOT NULL"))
        {
            return [];
        }

        return await database.ColumnAsync("SELECT script_name FROM fkharness.schema_versions ORDER BY script_name");
    }

    /// <summary>A copy of the shipped migrations folder that a test may edit.</summary>
    public static string CopyMigrations()
    {
        var target = Directory.CreateTempSubdirectory("migrator-migrations-test-").FullName;
        foreach (var file in Directory.GetFiles(MigrationFiles.Directory, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(MigrationFiles.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
