using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;
using static FkHarness.Tests.Migrator.MigratorDatabases;

namespace FkHarness.Tests.Migrator;

[Collection(PostgresTests.Name)]
public sealed class MigratorConcurrencyTests(PostgresFixture fixture)
{
    [Fact]
    public async Task TwoConcurrentUps_ApplyEachMigrationOnce()
    {
        await using var db = await BaselineAsync(fixture);
        // Orphans, so a second application would show as a second quarantine pass.
        await db.ExecuteAsync("INSERT INTO dashboard_widgets (user_id, widget_type, title) VALUES ('ghost', 'chart', 'a'), ('', 'chart', 'b')");

        var results = await Task.WhenAll(
            new UpgradeRunner().UpAsync(db.ConnectionString),
            new UpgradeRunner().UpAsync(db.ConnectionString));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        var applied = results.SelectMany(r => r.Applied).ToList();
        Assert.Equal([Up025, Up026], applied.Order());
        Assert.Contains(results, r => r.Applied.Count == 0);
        Assert.Equal([Up025, Up026], await JournalAsync(db));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM fk_fix.quarantine"));
    }

    [Fact]
    public async Task AMigrator_WaitsWhileAnotherHoldsTheLockAndThenRuns()
    {
        await using var db = await BaselineAsync(fixture);
        // Hold the migrators' advisory lock as another migrator would.
        await using var holder = await db.OpenAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({0x666B_6861_726E_6573L})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var waiting = new UpgradeRunner().UpAsync(db.ConnectionString);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('fkharness.schema_versions') IS NOT NULL"));

        await using (var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({0x666B_6861_726E_6573L})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal([Up025, Up026], result.Applied);
    }

    [Fact]
    public async Task AMigratorThatCannotGetTheLock_GivesUpAfterItsTimeoutNamingTheHolder()
    {
        await using var db = await BaselineAsync(fixture);
        await using var holder = await db.OpenAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({0x666B_6861_726E_6573L})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var options = new MigratorOptions { MigratorLockTimeout = TimeSpan.FromSeconds(1) };
        var result = await new UpgradeRunner(options).UpAsync(db.ConnectionString).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(result.Succeeded);
        Assert.Contains("Another migrator", result.Error!.Message);
        Assert.Contains($"pid {holder.ProcessID}", result.Error.Message);
    }
}
