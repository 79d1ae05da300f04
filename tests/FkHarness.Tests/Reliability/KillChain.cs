using System.Diagnostics;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// Runs a migrator command against one database again and again, SIGKILLing each run at the next
/// kill point, then lets a last run finish. After every kill it waits for the server to drop the
/// killed sessions (timing it) and, when the kill may have cut into a statement that moves rows
/// (<paramref name="movesRows"/>), checks that no row was lost at that instant. The chain's end
/// state is compared by the caller.
/// </summary>
internal sealed class KillChain(
    PostgresFixture fixture, TestDatabase database, IReadOnlyDictionary<string, string> rowsBefore, string[] command, string anchor,
    Func<ProgressSnapshot, bool> movesRows)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(30);

    public List<KillRecord> Kills { get; } = [];

    /// <summary>Kill points that a run finished before reaching (the chain stops at the first).</summary>
    public List<string> Missed { get; } = [];

    /// <summary>stdout and stderr of the last run, which was not killed.</summary>
    public string FinalOutput { get; private set; } = "";

    /// <summary>How often the last run's scripts hit their lock_timeout and were rerun.</summary>
    public int FinalLockRetries { get; private set; }

    private static int LockRetries(MigratorProcess process) => process.StandardError.Split("hit lock_timeout").Length - 1;

    /// <summary>Runs until a point is missed or all are done; returns how many points it used up (a missed one included).</summary>
    public async Task<int> RunAsync(string chain, IReadOnlyList<KillPoint> points)
    {
        var used = 0;
        await using var probe = await ProgressProbe.OpenAsync(database.ConnectionString);
        foreach (var point in points)
        {
            used++;
            using var process = MigratorProcess.Start(database.ConnectionString, command);
            var (killed, seen) = await KillWhenReachedAsync(process, probe, point);
            if (!killed)
            {
                var exit = await process.WaitAsync(RunTimeout);
                Assert.True(exit == 0, $"{chain}: a run meant to be killed at '{point.Name}' failed (exit {exit}):\n{process.AllOutput}");
                Missed.Add(point.Name);
                FinalOutput = process.AllOutput;
                return used;
            }

            var killedAfter = process.Elapsed;
            var clock = Stopwatch.StartNew();
            if (await process.WaitAsync(RunTimeout) == 0)
            {
                Missed.Add(point.Name + " (the run finished as the kill landed)");
                FinalOutput = process.AllOutput;
                return used;
            }

            var gone = await MigratorSessions.WaitUntilGoneAsync(fixture.AdminConnectionString, database.Name, clock, ReleaseTimeout);
            var checkRows = movesRows(seen!);
            if (checkRows)
            {
                var lost = RowConservation.Compare(rowsBefore, await RowConservation.ReconstructedAsync(database.ConnectionString));
                Assert.True(lost.Length == 0, $"{chain}: rows lost after the kill at '{point.Name}' ({seen}): {lost}");
            }

            Kills.Add(new KillRecord(chain, Kills.Count + 1, point.Name, killedAfter, seen!, gone, checkRows, LockRetries(process)));
        }

        using var final = MigratorProcess.Start(database.ConnectionString, command);
        var code = await final.WaitAsync(RunTimeout);
        FinalOutput = final.AllOutput;
        FinalLockRetries = LockRetries(final);
        Assert.True(code == 0, $"{chain}: the final, unkilled run failed (exit {code}):\n{FinalOutput}");
        return used;
    }

    private async Task<(bool Killed, ProgressSnapshot? Seen)> KillWhenReachedAsync(MigratorProcess process, ProgressProbe probe, KillPoint point)
    {
        while (!process.HasExited)
        {
            ProgressSnapshot snapshot;
            try
            {
                snapshot = await probe.LookAsync();
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable)
            {
                continue;  // A table the probe counts was dropped between its check and its count.
            }

            var since = process.Elapsed;
            if (point.WaitForAnchor)
            {
                // Not before this run has started on a script: the catalog still shows the last run's progress.
                if (process.SawAt(anchor) is not { } anchorAt)
                {
                    await Task.Delay(2);
                    continue;
                }

                since -= anchorAt;
            }

            if (point.Reached(snapshot, since))
            {
                process.Kill();
                return (true, snapshot);
            }

            await Task.Delay(2);
        }

        return (false, null);
    }
}
