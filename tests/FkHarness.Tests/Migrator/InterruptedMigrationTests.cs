using System.Diagnostics;
using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;
using FkHarness.Tests.Reliability;
using Npgsql;

namespace FkHarness.Tests.Migrator;

/// <summary>
/// After an up killed or failed half-way, down undoes whatever part is present and the database is
/// back where it started; after a down killed half-way, up applies the migration again; status shows
/// both. The real scripts, with one statement inserted where the run is to stop (no timing): an
/// advisory lock the test holds (to kill it there) or a RAISE (to fail there).
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class InterruptedMigrationTests(PostgresFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(60);

    private const long HoldKey = 0x52_4553_544F_5245;

    // After 025's cleanup, before its VALIDATE: orphans quarantined and removed, FKs NOT VALID.
    private const string AfterCleanup = "CALL fk_fix.quarantine_text_orphans(5000, 0);";

    private static readonly string WaitForTheTest = $"SELECT pg_advisory_lock_shared({HoldKey});";

    [Fact]
    public async Task Down_AfterAnUpKilledHalfWay_RestoresTheStartingState_AndStatusShowedItInterrupted()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        var (schema, data) = (await SchemaSnapshot.TakeAsync(database.ConnectionString), await TableChecksums.TakeAsync(database.ConnectionString));
        using var stopped = StoppedMigrations.After(MigrationFiles.Up025, AfterCleanup, WaitForTheTest);

        await using (var holder = await HoldAsync(database))
        {
            using var up = MigratorProcess.Start(database.ConnectionString, "up", "--migrations", stopped.Path);
            await WaitForLockWaitAsync(database, WaitForTheTest.TrimEnd(';'), up);
            up.Kill();
            await up.WaitAsync(RunTimeout);
        }

        await MigratorSessions.WaitUntilGoneAsync(fixture.AdminConnectionString, database.Name, Stopwatch.StartNew(), WaitTimeout);
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM fk_fix.quarantine") > 0, "the up should have been killed after its cleanup");
        using var status = await MigratorProcess.RunAsync(database.ConnectionString, RunTimeout, "status");
        Assert.Contains("interrupted", status.StandardOutput);
        Assert.Contains("down undoes it", status.StandardOutput);

        using var down = await MigratorProcess.RunAsync(database.ConnectionString, RunTimeout, "down");

        Assert.True(down.ExitCode == 0, down.AllOutput);
        Assert.Contains("its up script was interrupted half-way", down.AllOutput);
        Assert.Equal(schema, await SchemaSnapshot.TakeAsync(database.ConnectionString));
        Assert.Equal(data, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'fk_fix'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM fkharness.migrations_in_progress"));
    }

    [Fact]
    public async Task Down_AfterAnUpThatFailedHalfWay_RestoresTheStartingState()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        var (schema, data) = (await SchemaSnapshot.TakeAsync(database.ConnectionString), await TableChecksums.TakeAsync(database.ConnectionString));
        using var stopped = StoppedMigrations.After(MigrationFiles.Up025, AfterCleanup,
            "DO $$ BEGIN RAISE EXCEPTION 'a check that refuses, after the cleanup' USING ERRCODE = 'check_violation'; END $$;");

        var up = await new UpgradeRunner(new MigratorOptions { MigrationsDirectory = stopped.Path }).UpAsync(database.ConnectionString);

        Assert.False(up.Succeeded);
        Assert.Equal("23514", up.Error!.SqlState);
        var status = await new MigrationStatusReader().ReadAsync(database.ConnectionString);
        Assert.Equal([("025_add_missing_text_fk_constraints", "up", false), ("026_add_array_fk_validation", null, false)],
            status.Migrations.Select(m => (m.Name, m.InterruptedDuring, m.Applied)));

        var down = await new DowngradeRunner().DownAsync(database.ConnectionString);

        Assert.True(down.Succeeded, down.Error?.Message);
        Assert.Equal(["025_add_missing_text_fk_constraints"], down.RolledBack);
        Assert.Equal(schema, await SchemaSnapshot.TakeAsync(database.ConnectionString));
        Assert.Equal(data, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.All((await new MigrationStatusReader().ReadAsync(database.ConnectionString)).Migrations, m => Assert.Null(m.InterruptedDuring));
    }

    [Fact]
    public async Task DownTo025_AfterA026UpThatFailedHalfWay_UndoesOnly026()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        await FixMigrations.UpAsync(database, to: "025");
        var (schema, data) = (await SchemaSnapshot.TakeAsync(database.ConnectionString), await TableChecksums.TakeAsync(database.ConnectionString));
        using var stopped = StoppedMigrations.After(MigrationFiles.Up026, "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_alert_condition_groups_condition_ids_gin",
            "DO $$ BEGIN RAISE EXCEPTION 'stopped after the GIN indexes'; END $$;");

        var up = await new UpgradeRunner(new MigratorOptions { MigrationsDirectory = stopped.Path }).UpAsync(database.ConnectionString);
        Assert.False(up.Succeeded);
        Assert.True(await database.ScalarAsync<bool>("SELECT to_regclass('idx_alert_condition_groups_condition_ids_gin') IS NOT NULL"));

        var down = await new DowngradeRunner().DownAsync(database.ConnectionString, to: "025");

        Assert.True(down.Succeeded, down.Error?.Message);
        Assert.Equal(["026_add_array_fk_validation"], down.RolledBack);
        Assert.Equal(schema, await SchemaSnapshot.TakeAsync(database.ConnectionString));
        Assert.Equal(data, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal([("025_add_missing_text_fk_constraints", true), ("026_add_array_fk_validation", false)],
            (await new MigrationStatusReader().ReadAsync(database.ConnectionString)).Migrations.Select(m => (m.Name, m.Applied)));
    }

    [Fact]
    public async Task Up_ThatFailsBeforeChangingAnything_LeavesNoMarkAndNoSchemaBehind()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("DROP SCHEMA fkharness CASCADE; ALTER TABLE users DROP CONSTRAINT users_user_id_key");
        var before = await EndState.TakeAsync(database.ConnectionString);

        var up = await new UpgradeRunner().UpAsync(database.ConnectionString);

        Assert.False(up.Succeeded);
        Assert.Contains("users.user_id", up.Error!.Message);
        Assert.Equal("", before.Diff(await EndState.TakeAsync(database.ConnectionString)));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'fkharness'"));
    }

    [Fact]
    public async Task Up_AfterADownKilledHalfWay_AppliesTheMigrationAgain()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        await FixMigrations.UpAsync(database);
        var (schema, data) = (await SchemaSnapshot.TakeAsync(database.ConnectionString), await TableChecksums.TakeAsync(database.ConnectionString));
        // After 025 down's restore, before it drops the indexes: FKs gone, rows back.
        using var stopped = StoppedMigrations.After(MigrationFiles.Down025, "-- 3. Indexes 025 created", WaitForTheTest);

        await using (var holder = await HoldAsync(database))
        {
            using var down = MigratorProcess.Start(database.ConnectionString, "down", "--migrations", stopped.Path);
            await WaitForLockWaitAsync(database, WaitForTheTest.TrimEnd(';'), down);
            down.Kill();
            await down.WaitAsync(RunTimeout);
        }

        await MigratorSessions.WaitUntilGoneAsync(fixture.AdminConnectionString, database.Name, Stopwatch.StartNew(), WaitTimeout);
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass") == 0, "the down should have been killed after its restore");
        var status = await new MigrationStatusReader().ReadAsync(database.ConnectionString);
        Assert.Equal([("025_add_missing_text_fk_constraints", "down", false), ("026_add_array_fk_validation", null, false)],
            status.Migrations.Select(m => (m.Name, m.InterruptedDuring, m.Applied)));

        using var up = await MigratorProcess.RunAsync(database.ConnectionString, RunTimeout, "up");

        Assert.True(up.ExitCode == 0, up.AllOutput);
        Assert.Contains("interrupted half-way before; finishing it", up.AllOutput);
        Assert.Equal(schema, await SchemaSnapshot.TakeAsync(database.ConnectionString));
        Assert.Equal(data, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.All((await new MigrationStatusReader().ReadAsync(database.ConnectionString)).Migrations, m => Assert.True(m.Applied && m.InterruptedDuring is null, m.Name));
    }

    /// <summary>A session holding the advisory lock the inserted statement waits for, until disposed.</summary>
    private static async Task<NpgsqlConnection> HoldAsync(TestDatabase database)
    {
        var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({HoldKey})", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task WaitForLockWaitAsync(TestDatabase database, string statementPart, MigratorProcess process)
    {
        var clock = Stopwatch.StartNew();
        // pg_stat_activity shows a statement's first 1 KB (track_activity_query_size): match early text.
        var sql = $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database.Name}' AND wait_event_type = 'Lock' AND query LIKE '%{statementPart}%'";
        while (await database.ScalarAsync<long>(sql) == 0)
        {
            Assert.False(process.HasExited, $"the migrator exited before waiting on the held lock:\n{process.AllOutput}");
            Assert.True(clock.Elapsed < WaitTimeout, $"no migrator statement ({statementPart}) waited on the held lock within {WaitTimeout}:\n{process.AllOutput}");
            await Task.Delay(20);
        }
    }
}
