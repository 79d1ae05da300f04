namespace FkHarness.Tests.Infrastructure;

/// <summary>Applies and rolls back 025/026 on a test database, failing the test with psql's words.</summary>
public static class FixMigrations
{
    public static async Task UpAsync(TestDatabase database, string to = "026")
    {
        await RunAsync(database, MigrationFiles.Up025);
        if (to == "026")
        {
            await RunAsync(database, MigrationFiles.Up026);
        }
    }

    public static async Task DownAsync(TestDatabase database, string to = "024")
    {
        await RunAsync(database, MigrationFiles.Down026);
        if (to == "024")
        {
            await RunAsync(database, MigrationFiles.Down025);
        }
    }

    private static async Task RunAsync(TestDatabase database, string file)
    {
        var result = await Psql.RunFileAsync(database.ConnectionString, file);
        Assert.True(result.ExitCode == 0, $"{Path.GetFileName(file)} failed: {result.StandardError}");
    }
}
