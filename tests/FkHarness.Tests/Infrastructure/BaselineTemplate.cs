namespace FkHarness.Tests.Infrastructure;

/// <summary>The pre-fix schema, empty: the template most migration tests start from.</summary>
public static class BaselineTemplate
{
    public const string Name = "tpl_baseline";

    public static Task<TestDatabase> CreateAsync(PostgresFixture fixture) =>
        fixture.CreateDatabaseAsync(Name, async connectionString =>
        {
            var result = await Psql.RunFileAsync(connectionString, MigrationFiles.Baseline);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("Baseline failed: " + result.StandardError);
            }
        });
}
