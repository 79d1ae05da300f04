using System.Diagnostics;
using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// 025's cleanup against an application that fixes an orphan at the same moment: the cleanup batch
/// waits for the application's row lock, and must then leave the fixed row alone. (A locking SELECT
/// with a NOT EXISTS anti-join, re-checked by PostgreSQL's EvalPlanQual after the wait, returned the
/// fixed row as an orphan: 025 nulled or deleted a valid value. The live-traffic test found it.)
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class CleanupConcurrencyTests(PostgresFixture fixture)
{
    [Fact]
    public async Task AnOrphanFixedWhileTheCleanupWaitsForIt_KeepsTheFixedValue_AndIsNotQuarantined()
    {
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        await db.ExecuteAsync("""
            INSERT INTO users (id, user_id, email, display_name) VALUES (1, 'usr_alice', 'alice@example.com', 'Alice');
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (10, 'ghost', 'chart', 'fixed by the app'), (11, 'ghost', 'chart', 'an orphan');
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (20, 'ghost', 'error', 'fixed by the app'), (21, 'ghost', 'error', 'an orphan');
            """);
        await AddTheForeignKeysAsync(db);
        // The application fixes one orphan in each table and has not committed yet.
        await using var fixWidget = await BeginFixAsync(db, "UPDATE dashboard_widgets SET user_id = 'usr_alice' WHERE id = 10");
        await using var fixLog = await BeginFixAsync(db, "UPDATE error_logs SET user_id = 'usr_alice' WHERE id = 20");
        await using var observer = await db.OpenAsync();

        var up = new UpgradeRunner(new MigratorOptions { LockTimeoutRetries = 0 }).UpAsync(db.ConnectionString, to: "025");
        // Commit each fix the moment the cleanup is seen waiting for it (well within its 1 s lock_timeout).
        foreach (var fix in new[] { fixWidget, fixLog })
        {
            await WaitUntilBlockedByAsync(observer, fix.Connection!.ProcessID, up);
            await fix.CommitAsync();
        }

        var result = await up.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("usr_alice", await db.ScalarAsync<string>("SELECT user_id FROM dashboard_widgets WHERE id = 10"));
        Assert.Equal("usr_alice", await db.ScalarAsync<string>("SELECT user_id FROM error_logs WHERE id = 20"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dashboard_widgets WHERE id = 11"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM error_logs WHERE id = 21 AND user_id IS NULL"));
        Assert.Equal("dashboard_widgets#11 error_logs#21",
            await db.ScalarAsync<string>("SELECT string_agg(table_name || '#' || row_id, ' ' ORDER BY table_name) FROM fk_fix.quarantine"));
    }

    /// <summary>
    /// 025's own FKs, NOT VALID, so that the application's fixes below are checked and the rerun
    /// skips adding them (an FK of that name that 025 did not add is refused). A first run is
    /// stopped in its cleanup, before any row of these tables goes: a trigger waits for an advisory
    /// lock the test holds, the batch hits its lock_timeout, and the run fails, the FKs added.
    /// </summary>
    private static async Task AddTheForeignKeysAsync(TestDatabase db)
    {
        const long key = 0x4649_5845_4431;
        await db.ExecuteAsync($"""
            CREATE FUNCTION test_wait() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock_shared({key}); RETURN OLD; END $$;
            CREATE TRIGGER test_wait BEFORE DELETE ON dashboard_widgets FOR EACH ROW EXECUTE FUNCTION test_wait();
            """);
        await using (var holder = await db.OpenAsync())
        {
            await using var hold = new NpgsqlCommand($"SELECT pg_advisory_lock({key})", holder);
            await hold.ExecuteNonQueryAsync();
            var first = await new UpgradeRunner(new MigratorOptions { LockTimeoutRetries = 0 }).UpAsync(db.ConnectionString, to: "025");
            Assert.Equal("55P03", first.Error?.SqlState);
        }

        await db.ExecuteAsync("DROP TRIGGER test_wait ON dashboard_widgets; DROP FUNCTION test_wait()");
        Assert.Equal(9L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass AND NOT convalidated"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM fk_fix.quarantine"));
    }

    private static async Task<NpgsqlTransaction> BeginFixAsync(TestDatabase db, string sql)
    {
        var connection = await db.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        return transaction;
    }

    private static async Task WaitUntilBlockedByAsync(NpgsqlConnection observer, int blocker, Task migration)
    {
        var clock = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'fkharness-migrator' AND @blocker = ANY (pg_blocking_pids(pid))", observer);
        command.Parameters.AddWithValue("blocker", blocker);
        while ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            Assert.False(migration.IsCompleted, "The migration ended without waiting for the application's fix.");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "The cleanup never waited for the application's fix.");
            await Task.Delay(5);
        }
    }
}
