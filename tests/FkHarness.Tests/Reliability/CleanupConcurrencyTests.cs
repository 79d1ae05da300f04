using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// 025's cleanup against an application that fixes an orphan at the same moment: the cleanup batch
/// waits for the application's row lock, and must then leave the fixed row alone. The sessions are
/// ordered by the lock itself: the fix commits only once the server shows the cleanup waiting for it. (A locking SELECT
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
            -- The FKs as 025's step 3 adds them, so the application's fixes below are checked and 025 skips adding them.
            ALTER TABLE dashboard_widgets ADD CONSTRAINT dashboard_widgets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (user_id) NOT VALID;
            ALTER TABLE error_logs ADD CONSTRAINT error_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (user_id) NOT VALID;
            """);
        // And step 2's indexes: a concurrent index build waits for every open transaction (the
        // application's fixes included) before it ends; with them built, only the cleanup waits for the fixes.
        await db.ExecuteAsync(string.Join('\n', IndexBuildsOf025()));
        // The application fixes one orphan in each table and commits only once the cleanup waits for
        // that row: the server itself watches for the wait, so the order holds however busy the machine is.
        await using var fixWidget = await BeginFixAsync(db, "UPDATE dashboard_widgets SET user_id = 'usr_alice' WHERE id = 10");
        await using var fixLog = await BeginFixAsync(db, "UPDATE error_logs SET user_id = 'usr_alice' WHERE id = 20");
        var commits = new[] { CommitOnceWaitedForAsync(fixWidget), CommitOnceWaitedForAsync(fixLog) };

        // Retries (quick ones) in case the machine is so busy that a wait outlasts the batch's 1 s
        // lock_timeout before the server reacts: the retried batch waits again, and the fix still
        // commits only while it waits.
        var options = new MigratorOptions { LockTimeoutRetries = 20, LockRetryInitialDelay = TimeSpan.FromMilliseconds(10), LockRetryMaxDelay = TimeSpan.FromMilliseconds(100) };
        var result = await new UpgradeRunner(options).UpAsync(db.ConnectionString, to: "025").WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(result.Succeeded, result.Error?.Message);
        await Task.WhenAll(commits).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("usr_alice", await db.ScalarAsync<string>("SELECT user_id FROM dashboard_widgets WHERE id = 10"));
        Assert.Equal("usr_alice", await db.ScalarAsync<string>("SELECT user_id FROM error_logs WHERE id = 20"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dashboard_widgets WHERE id = 11"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM error_logs WHERE id = 21 AND user_id IS NULL"));
        Assert.Equal("dashboard_widgets#11 error_logs#21",
            await db.ScalarAsync<string>("SELECT string_agg(table_name || '#' || row_id, ' ' ORDER BY table_name) FROM fk_fix.quarantine"));
    }

    /// <summary>025's own CREATE INDEX CONCURRENTLY statements, as plain CREATE INDEX.</summary>
    private static IEnumerable<string> IndexBuildsOf025() =>
        File.ReadLines(MigrationFiles.Up025)
            .Where(line => line.StartsWith("CREATE INDEX CONCURRENTLY", StringComparison.Ordinal))
            .Select(line => line.Replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX", StringComparison.Ordinal));

    private static async Task<NpgsqlTransaction> BeginFixAsync(TestDatabase db, string sql)
    {
        var connection = await db.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        return transaction;
    }

    /// <summary>
    /// Waits, inside the fix's own transaction, until another session waits for its transaction
    /// id (the cleanup's row lock on the fixed row), then commits. pg_locks is read live, unlike
    /// pg_stat_activity, which a transaction sees as of its first look. Bounded by statement_timeout.
    /// </summary>
    private static async Task CommitOnceWaitedForAsync(NpgsqlTransaction fix)
    {
        await using (var wait = new NpgsqlCommand("""
            SET LOCAL statement_timeout = '60s';
            DO $$
            BEGIN
                WHILE NOT EXISTS (SELECT 1 FROM pg_locks
                                  WHERE locktype = 'transactionid' AND NOT granted
                                    AND transactionid::text = pg_current_xact_id()::text) LOOP
                    PERFORM pg_sleep(0.001);
                END LOOP;
            END
            $$;
            """, fix.Connection, fix))
        {
            await wait.ExecuteNonQueryAsync();
        }

        await fix.CommitAsync();
    }
}
