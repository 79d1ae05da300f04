using FkHarness.Migrator;
using FkHarness.Migrator.Errors;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.StagingRedTeam;

/// <summary>
/// What the red-team scenarios share beyond <see cref="Staging.StagingSchema"/>: the whole state a
/// round trip must give back (every row as text, and the schema), and 025/026 up and down through
/// the real migrator with any role's connection string.
/// </summary>
internal static class RoundTrip
{
    /// <summary>Per-table checksums of every row's text, and pg_dump's schema of public.</summary>
    public static async Task<string> SnapshotAsync(TestDatabase database)
    {
        var tables = await TableChecksums.TakeAsync(database.ConnectionString);
        var schema = await SchemaSnapshot.TakeAsync(database.ConnectionString);
        return string.Join("\n", tables.Select(t => $"{t.Key} {t.Value}")) + "\n" + schema;
    }

    public static async Task<MigratorError?> UpAsync(string connectionString, string to = "026")
    {
        var result = await new UpgradeRunner().UpAsync(connectionString, to);
        return result.Succeeded ? null : result.Error;
    }

    public static async Task<MigratorError?> DownAsync(string connectionString, string to = "024")
    {
        var result = await new DowngradeRunner().DownAsync(connectionString, to);
        return result.Succeeded ? null : result.Error;
    }

    /// <summary>Whether anything of 025/026 is left: the fk_fix schema, an idx_ index, an FK or a trigger they add.</summary>
    public static Task<string> LeftoversAsync(TestDatabase database) => database.ScalarAsync<string>("""
        SELECT 'fk_fix=' || (SELECT count(*) FROM pg_namespace WHERE nspname = 'fk_fix')
            || ' indexes=' || (SELECT count(*) FROM pg_class WHERE relname LIKE 'idx\_%' AND relkind IN ('i', 'I'))
            || ' fks=' || (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'public.users'::regclass)
            || ' triggers=' || (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'trg\_check\_%')
        """);
}
