using FkHarness.Rehearsal.Traffic;
using FkHarness.Rehearsal.Verification;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Traffic;

/// <summary>
/// What goes wrong for the writers is recorded and flagged, never thrown: a write stuck behind a
/// lock ends at lock_timeout as a stall (55P03), and sessions killed under them reconnect.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class TrafficFailureTests(PostgresFixture fixture, ITestOutputHelper output)
{
    // A safety net only: every wait below ends as soon as its condition holds.
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    private static readonly TrafficOptions Quick = new()
    {
        Rate = 200,
        WarmUp = TimeSpan.Zero,
        BeforeWindow = TimeSpan.Zero,
        AfterWindow = TimeSpan.Zero,
        LockTimeout = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public async Task AWriteStuckBehindALock_EndsAtLockTimeout_AsAStall_AndFailsTheSqlStateCheck()
    {
        var (db, _) = await SeededTemplate.CreateAsync(fixture);
        await using var _db = db;
        await using var run = await TrafficRun.StartAsync(db.ConnectionString, Quick, CancellationToken.None);
        await using var holder = await db.OpenAsync();
        await using var lockTransaction = await holder.BeginTransactionAsync();
        await using (var lockUsers = new NpgsqlCommand("LOCK TABLE users IN ACCESS EXCLUSIVE MODE", holder, lockTransaction))
        {
            await lockUsers.ExecuteNonQueryAsync();
        }

        // While the lock is held, a traffic write that stops waiting for it can only have timed out.
        var waiting = await WaitingWriteAsync(db);
        Assert.NotNull(waiting);
        Assert.True(await WaitedOutAsync(db, waiting!.Value), "the write waiting for the lock never gave up");
        await lockTransaction.RollbackAsync();
        var result = await run.StopAsync(CancellationToken.None);
        output.WriteLine(string.Join("\n", result.Examples.Select(e => $"{e.SqlState} {e.Kind}: {e.Message}")));

        Assert.True(result.FailuresBySqlState.GetValueOrDefault("55P03") > 0, "no write ended with 55P03");
        // The write that waited for the lock lasted the whole lock_timeout, and the longest stall the report
        // shows is at least that long. (Not necessarily that write: on a loaded machine a write starved of CPU,
        // its first one with the JIT above all, can take longer and commit.)
        var timedOut = result.Samples.Where(s => s.Outcome == WriteOutcome.OtherError).Max(s => result.Milliseconds(s.Duration));
        Assert.True(timedOut >= Quick.LockTimeout.TotalMilliseconds, $"the longest failed write took {timedOut:0} ms, less than lock_timeout");
        var stall = TrafficFigures.From(result, [], []).LongestStall!;
        Assert.True(stall.Ms >= timedOut, $"the longest stall reported ({stall.Ms:0} ms) is shorter than the write that timed out ({timedOut:0} ms)");
        var sqlStates = Assert.Single(TrafficChecks.For(result), c => c.Name.StartsWith("every failed traffic write failed with 23503", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Failed, sqlStates.Outcome);
        Assert.Contains("55P03", sqlStates.Detail);
    }

    [Fact]
    public async Task SessionsKilledUnderTheWriters_AreRecorded_AndTheWritersCarryOn()
    {
        var (db, _) = await SeededTemplate.CreateAsync(fixture);
        await using var _db = db;
        await using var run = await TrafficRun.StartAsync(db.ConnectionString, Quick, CancellationToken.None);
        var first = await TrafficPidsAsync(db, except: []);
        Assert.NotEmpty(first);
        await db.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN ({string.Join(',', first)})");
        var reconnected = await TrafficPidsAsync(db, except: first);
        var result = await run.StopAsync(CancellationToken.None);
        output.WriteLine(string.Join("\n", result.Examples.Select(e => $"{e.SqlState} {e.Kind}: {e.Message}")));

        Assert.NotEmpty(reconnected);
        Assert.Contains(result.FailuresBySqlState.Keys, k => k is "57P01" or "08006");
        Assert.NotNull(result.LostWrites);
        Assert.Equal(0, result.LostWrites!.Lost);
    }

    /// <summary>A traffic session waiting for a lock (pid and when its statement started); null if none within the wait.</summary>
    private static async Task<(int Pid, DateTime QueryStart)?> WaitingWriteAsync(TestDatabase db)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            await using var connection = await db.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"SELECT pid, query_start FROM pg_stat_activity WHERE application_name = '{TrafficOptions.ApplicationName}' AND wait_event_type = 'Lock' ORDER BY query_start LIMIT 1", connection);
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                return (reader.GetInt32(0), reader.GetDateTime(1));
            }

            await Task.Delay(20);
        }

        return null;
    }

    /// <summary>True once that session is no longer waiting with that statement (the lock is still held: it timed out).</summary>
    private static async Task<bool> WaitedOutAsync(TestDatabase db, (int Pid, DateTime QueryStart) waiting)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var still = await db.ScalarAsync<long>(
                $"SELECT count(*) FROM pg_stat_activity WHERE pid = {waiting.Pid} AND wait_event_type = 'Lock' AND query_start = '{waiting.QueryStart:O}'::timestamptz");
            if (still == 0)
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private static async Task<List<int>> TrafficPidsAsync(TestDatabase db, IReadOnlyCollection<int> except)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var pids = (await db.ColumnAsync($"SELECT pid::text FROM pg_stat_activity WHERE application_name = '{TrafficOptions.ApplicationName}' AND datname = current_database()"))
                .Select(int.Parse).Where(p => !except.Contains(p)).ToList();
            if (pids.Count > 0)
            {
                return pids;
            }

            await Task.Delay(20);
        }

        return [];
    }
}
