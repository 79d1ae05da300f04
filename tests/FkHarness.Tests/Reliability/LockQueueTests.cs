using System.Diagnostics;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// The lock-queue hazard: a long transaction holds a lock that 025's ALTER TABLE conflicts with, the
/// ALTER waits, and every writer queues behind the waiting ALTER. 025 caps each attempt's wait at
/// 5 ms (lock_timeout) and retries inside the script, holding nothing between attempts, for about
/// 2 s before it gives up with 55P03; the migrator then reruns the script with backoff. So writers
/// are held up for milliseconds per attempt (they were held about a second per try when each try
/// waited 1 s), never for as long as the long transaction lasts; the migrator succeeds once the
/// lock is gone, or fails clearly after its bounded tries. (The in-process retry API is covered in
/// Migrator/LockTimeoutRetryTests; this is the CLI with writers watching.)
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class LockQueueTests(PostgresFixture fixture, ITestOutputHelper output)
{
    // A writer queued behind a waiting ALTER is released when the attempt gives up (5 ms). The
    // bound is the one a 1 s attempt had (1 s plus 1.5 s for a busy 2-core machine waking the
    // writer late, as in LiveTrafficTests): at load 50-60 a single write was measured at 777 ms
    // with no lock in its way, so a tighter wall-clock bound would fail on the machine, not on 025.
    // live-025 shows the 5 ms attempts from the server's own lock-wait log instead.
    private static readonly TimeSpan StallBound = TimeSpan.FromSeconds(2.5);

    // An application transaction that touched users and then sat idle: ROW EXCLUSIVE on users, which
    // blocks no writer, but does block ADD CONSTRAINT … REFERENCES users (SHARE ROW EXCLUSIVE).
    private const string LongTransaction = "UPDATE users SET last_login_at = now() WHERE id = 1";

    [Fact]
    public async Task ALongTransaction_MakesEachTryGiveUpAfterTheLockTimeout_WritersWaitNoLonger_AndUpSucceedsOnceItEnds()
    {
        await using var db = await PreparedAsync();
        await using var blocker = await db.OpenAsync();
        var transaction = await blocker.BeginTransactionAsync();
        await new NpgsqlCommand(LongTransaction, blocker, transaction).ExecuteNonQueryAsync();
        using var stop = new CancellationTokenSource();
        var writers = StartWriters(db, stop.Token);

        using var migrator = MigratorProcess.Start(db.ConnectionString, "up", "--to", "025", "--lock-timeout-retries", "5");
        await WaitForLineAsync(migrator, "hit lock_timeout (attempt 2 of 6)");
        await transaction.CommitAsync();
        var exit = await migrator.WaitAsync(TimeSpan.FromMinutes(2));
        await stop.CancelAsync();
        var stalls = (await Task.WhenAll(writers)).SelectMany(w => w).ToList();

        Assert.True(exit == 0, migrator.AllOutput);
        Assert.Contains("Applied: 025_add_missing_text_fk_constraints", migrator.StandardOutput);
        Assert.Contains("lock waits (lock_timeout, retried)", migrator.StandardOutput);
        var tries = migrator.StandardError.Split("hit lock_timeout").Length - 1;
        Assert.True(tries >= 2, migrator.StandardError);
        Assert.Equal(9L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass AND convalidated"));
        var longest = stalls.Max();
        var figures = new ReliabilityFigures(output, "lock-queue");
        figures.Line($"A long transaction holding ROW EXCLUSIVE on users: {tries} tries of 025 gave up (each after 40 attempts of 5 ms lock_timeout inside the script) and were retried after 1 s, 2 s, … " +
                     $"before it ended; then `up` succeeded. Writers on users and artifact_versions: {stalls.Count} writes, " +
                     $"{stalls.Count(s => s > TimeSpan.FromMilliseconds(50))} held up > 50 ms, longest {longest.TotalMilliseconds:0} ms (bound {StallBound.TotalMilliseconds:0} ms).");
        figures.Save();
        Assert.True(longest < StallBound, $"A writer waited {longest.TotalMilliseconds:0} ms behind the migration.");
    }

    [Fact]
    public async Task ALockThatNeverGoes_FailsUpClearlyAfterTheBoundedTries_WithoutHoldingUpWriters()
    {
        await using var db = await PreparedAsync();
        await using var blocker = await db.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await new NpgsqlCommand(LongTransaction, blocker, transaction).ExecuteNonQueryAsync();
        using var stop = new CancellationTokenSource();
        var writers = StartWriters(db, stop.Token);

        using var migrator = await MigratorProcess.RunAsync(db.ConnectionString, TimeSpan.FromMinutes(2), "up", "--lock-timeout-retries", "2");
        await stop.CancelAsync();
        var stalls = (await Task.WhenAll(writers)).SelectMany(w => w).ToList();
        await transaction.RollbackAsync();

        Assert.Equal(1, migrator.ExitCode);
        Assert.Contains("025_add_missing_text_fk_constraints.up.sql could not take its locks: all 3 attempts gave up waiting", migrator.StandardError);
        Assert.Contains("SQLSTATE 55P03", migrator.StandardError);
        Assert.Contains("pg_locks", migrator.StandardError);
        Assert.DoesNotContain("   at ", migrator.AllOutput);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass"));
        Assert.Equal("ghost", await db.ScalarAsync<string>("SELECT created_by FROM artifact_versions WHERE version = '1'"));
        Assert.True(stalls.Max() < StallBound, $"A writer waited {stalls.Max().TotalMilliseconds:0} ms behind the migration.");
    }

    private async Task<TestDatabase> PreparedAsync()
    {
        var db = await BaselineTemplate.CreateAsync(fixture);
        await db.ExecuteAsync("""
            INSERT INTO users (id, user_id, email, display_name) VALUES (1, 'usr_alice', 'a@example.com', 'Alice'), (2, 'usr_bob', 'b@example.com', 'Bob');
            SELECT setval(pg_get_serial_sequence('users', 'id'), 100);
            INSERT INTO artifact_versions (artifact_name, version, sha256, size_bytes, created_by) VALUES ('api', '1', 'x', 1, 'ghost');
            """);
        return db;
    }

    /// <summary>
    /// Two writers, on users and on artifact_versions (the first table 025 alters), inserting in a
    /// loop; each returns how long every one of its statements took.
    /// </summary>
    private static List<Task<List<TimeSpan>>> StartWriters(TestDatabase db, CancellationToken stop) =>
    [
        .. new[]
        {
            "INSERT INTO users (user_id, email, display_name) VALUES ('usr_w' || gen_random_uuid(), 'w@example.com', 'W')",
            "INSERT INTO artifact_versions (artifact_name, version, sha256, size_bytes, created_by) VALUES ('api', '2', 'y', 1, 'usr_bob')",
        }.Select(sql => Task.Run(async () =>
        {
            await using var connection = await db.OpenAsync();
            var times = new List<TimeSpan>();
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                await using (var command = new NpgsqlCommand(sql, connection))
                {
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                }

                times.Add(clock.Elapsed);
                await Task.Delay(20, CancellationToken.None);
            }

            return times;
        })),
    ];

    private static async Task WaitForLineAsync(MigratorProcess process, string text)
    {
        var clock = Stopwatch.StartNew();
        while (process.SawAt(text) is null)
        {
            Assert.False(process.HasExited, $"The migrator ended before logging '{text}':\n{process.AllOutput}");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"No '{text}' within a minute:\n{process.AllOutput}");
            await Task.Delay(20);
        }
    }
}
