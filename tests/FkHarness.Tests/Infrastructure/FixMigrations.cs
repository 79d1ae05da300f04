using FkHarness.Migrator;

namespace FkHarness.Tests.Infrastructure;

/// <summary>
/// Applies and rolls back 025/026 on a test database through the real migrator (DbUp), or through
/// psql as the plan runs them; either way a failure fails the test with the migrator's words.
/// </summary>
public static class FixMigrations
{
    public static async Task UpAsync(TestDatabase database, string to = "026")
    {
        var result = await new UpgradeRunner().UpAsync(database.ConnectionString, to);
        Assert.True(result.Succeeded, $"up --to {to} failed: {result.Error}");
    }

    public static async Task DownAsync(TestDatabase database, string to = "024")
    {
        var result = await new DowngradeRunner().DownAsync(database.ConnectionString, to);
        Assert.True(result.Succeeded, $"down --to {to} failed: {result.Error}");
    }

    public static async Task RunWithPsqlAsync(TestDatabase database, params string[] files)
    {
        foreach (var file in files)
        {
            var result = await Psql.RunFileAsync(database.ConnectionString, file);
            Assert.True(result.ExitCode == 0, $"{Path.GetFileName(file)} failed: {result.StandardError}");
        }
    }
}
