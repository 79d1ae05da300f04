using FkHarness.Migrator;
using FkHarness.Migrator.Errors;
using FkHarness.Tests.Infrastructure;
using static FkHarness.Tests.Migrator.MigratorDatabases;

namespace FkHarness.Tests.Migrator;

[Collection(PostgresTests.Name)]
public sealed class UpgradeRunnerTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Up_AppliesEveryMigrationAndJournalsIt()
    {
        await using var db = await BaselineAsync(fixture);

        var result = await new UpgradeRunner().UpAsync(db.ConnectionString);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal([Up025, Up026], result.Applied);
        Assert.Equal([Up025, Up026], await JournalAsync(db));
        Assert.Equal(9L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated AND confrelid = 'users'::regclass"));
    }

    [Fact]
    public async Task Up_Twice_IsANoOp()
    {
        await using var db = await BaselineAsync(fixture);
        var runner = new UpgradeRunner();
        await runner.UpAsync(db.ConnectionString);
        var journalBefore = await db.ScalarAsync<string>("SELECT string_agg(script_name || checksum || applied_at, ',' ORDER BY script_name) FROM fkharness.schema_versions");

        var second = await runner.UpAsync(db.ConnectionString);

        Assert.True(second.Succeeded, second.Error?.Message);
        Assert.Empty(second.Applied);
        Assert.Equal(journalBefore, await db.ScalarAsync<string>("SELECT string_agg(script_name || checksum || applied_at, ',' ORDER BY script_name) FROM fkharness.schema_versions"));
    }

    [Fact]
    public async Task UpTo025_LeavesNewerMigrationsPending()
    {
        await using var db = await BaselineAsync(fixture);

        var result = await new UpgradeRunner().UpAsync(db.ConnectionString, to: "025");
        var status = await new MigrationStatusReader().ReadAsync(db.ConnectionString);

        Assert.Equal([Up025], result.Applied);
        Assert.True(status.Succeeded, status.Error?.Message);
        Assert.Equal([(Up025, true), (Up026, false)], status.Migrations.Select(m => (m.Name, m.Applied)));
        Assert.NotNull(status.Migrations[0].AppliedAt);
        Assert.False(status.HasDrift);
    }

    [Fact]
    public async Task Status_OfAFreshDatabase_ShowsEverythingPendingAndCreatesNothing()
    {
        await using var db = await BaselineAsync(fixture);
        await db.ExecuteAsync("DROP SCHEMA fkharness CASCADE");

        var status = await new MigrationStatusReader().ReadAsync(db.ConnectionString);

        Assert.True(status.Succeeded, status.Error?.Message);
        Assert.All(status.Migrations, m => Assert.False(m.Applied));
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'fkharness')"));
    }

    [Fact]
    public async Task Up_ToAnUnknownMigration_IsBadInputAndChangesNothing()
    {
        await using var db = await BaselineAsync(fixture);

        var result = await new UpgradeRunner().UpAsync(db.ConnectionString, to: "027");

        Assert.False(result.Succeeded);
        Assert.Equal(MigratorErrorKind.InvalidInput, result.Error!.Kind);
        Assert.Contains("027", result.Error.Message);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('fkharness.schema_versions') IS NOT NULL"));
    }

    [Fact]
    public async Task Up_WhenAScriptFails_ReportsScriptLineAndSqlStateAndStops()
    {
        await using var db = await BaselineAsync(fixture);
        var folder = CopyMigrations();
        try
        {
            var up025 = Path.Combine(folder, Up025 + ".up.sql");
            await File.WriteAllTextAsync(up025, "SELECT 1;\n\nSELECT * FROM no_such_table;\n" + await File.ReadAllTextAsync(up025));

            var result = await new UpgradeRunner(new MigratorOptions { MigrationsDirectory = folder }).UpAsync(db.ConnectionString);

            Assert.False(result.Succeeded);
            Assert.Empty(result.Applied);
            Assert.Equal(MigratorErrorKind.Failed, result.Error!.Kind);
            Assert.Equal("42P01", result.Error.SqlState);
            Assert.Contains($"{Up025}.up.sql at line 3", result.Error.Message);
            Assert.Contains("no_such_table", result.Error.Message);
            Assert.Empty(await JournalAsync(db));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Up_WhenCancelled_EndsTheScriptsSessionAndJournalsNothing()
    {
        await using var db = await BaselineAsync(fixture);
        var folder = Directory.CreateTempSubdirectory("migrator-slow-test-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "001_slow.up.sql"), "SELECT pg_sleep(60);\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "001_slow.down.sql"), "SELECT 1;\n");
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

            var result = await new UpgradeRunner(new MigratorOptions { MigrationsDirectory = folder })
                .UpAsync(db.ConnectionString, cancellationToken: cancel.Token)
                .WaitAsync(TimeSpan.FromSeconds(30));

            Assert.False(result.Succeeded);
            Assert.Equal(MigratorErrorKind.Cancelled, result.Error!.Kind);
            Assert.Empty(result.Applied);
            Assert.Empty(await JournalAsync(db));
            // The ended backend may take a moment to leave pg_stat_activity.
            var sleeping = $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{db.Name}' AND application_name = 'fkharness-migrator' AND query LIKE '%pg_sleep%'";
            for (var i = 0; i < 50 && await db.ScalarAsync<long>(sleeping) > 0; i++)
            {
                await Task.Delay(100);
            }

            Assert.Equal(0L, await db.ScalarAsync<long>(sleeping));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
