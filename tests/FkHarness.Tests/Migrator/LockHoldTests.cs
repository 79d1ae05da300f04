using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;
using FkHarness.Tests.Reliability;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Migrator;

/// <summary>
/// The migrator measures, per step, which table lock it held and for how long
/// (<see cref="MigrationRunResult.LockHolds"/>): exactly for the steps between a script's BEGIN and
/// COMMIT, by sampling pg_locks for the steps inside a statement that commits by itself.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class LockHoldTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const long FirstGate = 0x0046_4B48_4C4B_0001;
    private const long SecondGate = 0x0046_4B48_4C4B_0002;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly MigratorOptions Measuring = new() { LockHoldSampling = TimeSpan.FromMilliseconds(2) };
    private static readonly FkHarness.Catalog.ForeignKeyCatalog Catalog = FkHarness.Catalog.ForeignKeyCatalog.LoadEmbedded();

    [Fact]
    public async Task EachIndexBuildAndTriggerTransaction_IsMeasured_WithItsLockOnItsTable()
    {
        var (db, _) = await SeededTemplate.CreateAsync(fixture);
        await using var _db = db;

        var result = await new UpgradeRunner(Measuring).UpAsync(db.ConnectionString);

        Assert.True(result.Succeeded, result.Error?.Message);
        foreach (var hold in result.LockHolds)
        {
            output.WriteLine($"{hold.Script}:{hold.Line} {hold.Table} {hold.Mode} {hold.HeldFor.TotalMilliseconds:0.0} ms{(hold.Sampled ? " (sampled)" : "")} - {hold.Step}");
        }

        var indexBuilds = result.LockHolds.Where(h => h.Step.StartsWith("CREATE INDEX CONCURRENTLY", StringComparison.Ordinal)).ToList();
        Assert.Equal(13, indexBuilds.Count);
        Assert.All(indexBuilds, h => Assert.Equal("ShareUpdateExclusiveLock", h.Mode));
        Assert.All(indexBuilds, h => Assert.False(h.BlocksWrites));
        Assert.Equal(["alert_condition_groups", "alert_escalations", "approval_rules", "deployment_approvals"],
            indexBuilds.Where(h => h.Script.StartsWith("026", StringComparison.Ordinal)).Select(h => h.Table).Order());

        var triggerHolds = result.LockHolds.Where(h => h.Script.StartsWith("026", StringComparison.Ordinal) && !h.Sampled && h.Mode == "ShareRowExclusiveLock").ToList();
        Assert.Equal(
            ["alert_condition_groups", "alert_conditions", "alert_escalations", "approval_rules", "deployment_approvals", "users"],
            triggerHolds.Select(h => h.Table).Distinct().Order());
        Assert.All(triggerHolds, h =>
        {
            Assert.StartsWith("CREATE OR REPLACE TRIGGER", h.Step, StringComparison.Ordinal);
            Assert.True(h.BlocksWrites);
            Assert.True(h.HeldFor > TimeSpan.Zero);
        });
    }

    [Fact]
    public async Task EveryStepInside025sProcedures_IsListed_HoweverShortAndHoweverRarelySampled()
    {
        // Empty tables: each NOT VALID and VALIDATE takes well under a millisecond, and pg_locks is
        // sampled once a second, so sampling alone would miss nearly all of them.
        await using var db = await BaselineTemplate.CreateAsync(fixture);

        var result = await new UpgradeRunner(new MigratorOptions { LockHoldSampling = TimeSpan.FromSeconds(1) }).UpAsync(db.ConnectionString, to: "025");

        Assert.True(result.Succeeded, result.Error?.Message);
        foreach (var hold in result.LockHolds)
        {
            output.WriteLine($"{hold.Script}:{hold.Line} {hold.Table} {hold.Mode} {hold.HeldFor.TotalMilliseconds:0.000} ms{(hold.Sampled ? " (sampled)" : "")} - {hold.Step}");
        }

        foreach (var finding in Catalog.TextForeignKeys)
        {
            var notValid = result.LockHolds.Where(h => h.Step == $"CALL fk_fix.add_text_fks_not_valid(): NOT VALID {finding.SourceTable}.{finding.SourceColumn}").ToList();
            Assert.Equal(["ShareRowExclusiveLock on " + finding.SourceTable, "ShareRowExclusiveLock on users"], notValid.Select(h => $"{h.Mode} on {h.Table}").Order());
            Assert.All(notValid, h => Assert.False(h.Sampled));
            Assert.All(notValid, h => Assert.True(h.BlocksWrites));
            var validate = Assert.Single(result.LockHolds, h => h.Step == $"CALL fk_fix.validate_text_fks(): VALIDATE {finding.SourceTable}.{finding.SourceColumn}");
            Assert.Equal(("ShareUpdateExclusiveLock", finding.SourceTable, false), (validate.Mode, validate.Table, validate.Sampled));
        }
    }

    [Fact]
    public async Task EachCleanupBatch_IsListed_WithTheRowLockOnItsTable()
    {
        var (db, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _db = db;

        var result = await new UpgradeRunner(Measuring).UpAsync(db.ConnectionString, to: "025");

        Assert.True(result.Succeeded, result.Error?.Message);
        foreach (var finding in Catalog.TextForeignKeys.Where(f => manifest.For(f.SourceTable, f.SourceColumn).OrphanCount > 0))
        {
            var batch = Assert.Single(result.LockHolds, h => h.Step == $"CALL fk_fix.quarantine_text_orphans(5000, 0): cleanup batch 1 of {finding.SourceTable}.{finding.SourceColumn}");
            Assert.Equal(("RowExclusiveLock", finding.SourceTable, false, false), (batch.Mode, batch.Table, batch.Sampled, batch.BlocksWrites));
        }
    }

    [Fact]
    public async Task EachTransactionOfAProcedureThatCommits_IsMeasured_AtLeastAsLongAsItHeldItsLock()
    {
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        // Two steps in one CALL, each its own transaction, each holding a table lock until a gate
        // this test holds is opened: the test decides how long each lock is held.
        using var scripts = new ScriptFolder().With("001_steps", $$"""
            CREATE PROCEDURE pg_temp.steps()
            LANGUAGE plpgsql
            AS $$
            BEGIN
                LOCK TABLE deployments IN SHARE ROW EXCLUSIVE MODE;
                PERFORM pg_advisory_xact_lock_shared({{FirstGate}});
                COMMIT;
                LOCK TABLE users IN EXCLUSIVE MODE;
                PERFORM pg_advisory_xact_lock_shared({{SecondGate}});
                COMMIT;
            END
            $$;
            CALL pg_temp.steps();
            BEGIN;
            LOCK TABLE error_logs IN ROW EXCLUSIVE MODE;
            SELECT 1;
            COMMIT;
            """);
        await using var test = await db.OpenAsync();
        await ExecuteAsync(test, $"SELECT pg_advisory_lock({FirstGate}), pg_advisory_lock({SecondGate})");

        var up = new UpgradeRunner(Measuring with { MigrationsDirectory = scripts.Path }).UpAsync(db.ConnectionString);
        var firstHeld = await HoldUntilSampledAsync(test, "deployments", FirstGate, up);
        var secondHeld = await HoldUntilSampledAsync(test, "users", SecondGate, up);
        var result = await up.WaitAsync(Patience);

        Assert.True(result.Succeeded, result.Error?.Message);
        var deployments = Assert.Single(result.LockHolds, h => h.Table == "deployments");
        Assert.Equal("ShareRowExclusiveLock", deployments.Mode);
        Assert.Equal("CALL pg_temp.steps()", deployments.Step);
        Assert.True(deployments.Sampled);
        Assert.True(deployments.HeldFor >= firstHeld, $"{deployments.HeldFor} < {firstHeld}");
        var users = Assert.Single(result.LockHolds, h => h.Table == "users");
        Assert.Equal("ExclusiveLock", users.Mode);
        Assert.True(users.HeldFor >= secondHeld, $"{users.HeldFor} < {secondHeld}");
        Assert.True(users.Started > deployments.Started);
        var errorLogs = Assert.Single(result.LockHolds, h => h.Table == "error_logs");
        Assert.False(errorLogs.Sampled);
        Assert.Equal("LOCK TABLE error_logs IN ROW EXCLUSIVE MODE", errorLogs.Step);
        Assert.False(errorLogs.BlocksWrites);
        Assert.Equal("001_steps.up.sql", errorLogs.Script);
    }

    /// <summary>
    /// Waits until the migrator holds its lock on <paramref name="table"/> and waits at the gate,
    /// then until the lock sampler has started a query after that, then opens the gate. Returns
    /// how long, at least, the lock was held (from the moment it was seen to the gate's opening).
    /// </summary>
    private static async Task<TimeSpan> HoldUntilSampledAsync(NpgsqlConnection test, string table, long gate, Task running)
    {
        await PollAsync(test, $"""
            SELECT EXISTS (SELECT 1 FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
                           WHERE a.application_name = 'fkharness-migrator' AND l.relation = '{table}'::regclass AND l.granted)
               AND EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = {gate & 0xFFFF_FFFF})
            """, running);
        var seen = DateTime.UtcNow;
        var observedAt = await ScalarAsync<DateTime>(test, "SELECT clock_timestamp()");
        await PollAsync(test, $"""
            SELECT EXISTS (SELECT 1 FROM pg_stat_activity
                           WHERE application_name = 'fkharness-migrator-locks' AND query_start > '{observedAt:O}'::timestamptz)
            """, running);
        await ExecuteAsync(test, $"SELECT pg_advisory_unlock({gate})");
        return DateTime.UtcNow - seen;
    }

    private static async Task PollAsync(NpgsqlConnection connection, string condition, Task running)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await ScalarAsync<bool>(connection, condition))
        {
            Assert.False(running.IsCompleted, "the migration ended before the point the test waits for");
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeout.Token);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
