using System.Globalization;
using FkHarness.Tests.Infrastructure;
using Xunit.Abstractions;
using static FkHarness.Tests.Reliability.KillPoint;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// Crash anywhere, converge anyway: the migrator, a real process, is SIGKILLed at many points of
/// `up` (and of `down`) on a seeded database and run again; the end state equals that of a run
/// nobody interrupted, and at every kill live rows + quarantined rows are the rows before.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class MigratorCrashTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Up_KilledAtAnyPoint_ThenRunAgain_EndsAsAnUninterruptedUp_AndNoRowIsEverLost()
    {
        var figures = new ReliabilityFigures(output, "crash-up");
        var reference = await ReliabilityDatabases.ReferenceAsync(fixture);
        var (before, expected, quarantined) = (reference.SeededRows, reference.FullyUp, reference.Quarantined);

        // Rows move only in cleanup batches; a kill between statements may have cut into one.
        var chains = await RunChainsAsync(UpChains(quarantined), ["up"], "Applying ",
            s => s.ActiveStatement is null || Running(s, "quarantine_text_orphans"),
            async () => (await ReliabilityDatabases.SeededAsync(fixture)).Database,
            async (name, database) =>
            {
                var diff = expected.Diff(await EndState.TakeAsync(database.ConnectionString));
                Assert.True(diff.Length == 0, $"{name}: after its kills and a last run, the end state differs from an uninterrupted up:\n{diff}");
                Assert.Equal("", RowConservation.Compare(before, await RowConservation.ReconstructedAsync(database.ConnectionString)));
            },
            before);

        Report(figures, "up", chains, quarantined);
        Assert.True(chains.Sum(c => c.Kills.Count) >= Soak.Pick(20, 30), "Too few kills landed; see the kill table in the output.");
    }

    [Fact]
    public async Task Down_KilledAtAnyPoint_ThenRunAgain_EndsAsAnUninterruptedDown_AndRestoresEveryRow()
    {
        var figures = new ReliabilityFigures(output, "crash-down");
        var reference = await ReliabilityDatabases.ReferenceAsync(fixture);
        var (seededRows, expected, quarantined) = (reference.SeededRows, reference.FullyDown, reference.Quarantined);

        // Rows move only in the restore block (DECLARE g record …); a kill between statements may have cut into it.
        var chains = await RunChainsAsync(DownChains(quarantined), ["down"], "Rolling back ",
            s => s.ActiveStatement is null || Running(s, "DECLARE g record"),
            () => ReliabilityDatabases.MigratedAsync(fixture),
            async (name, database) =>
            {
                var diff = expected.Diff(await EndState.TakeAsync(database.ConnectionString));
                Assert.True(diff.Length == 0, $"{name}: after its kills and a last run, the end state differs from an uninterrupted down:\n{diff}");
                Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'fk_fix'"));
            },
            seededRows);

        Report(figures, "down", chains, quarantined);
        Assert.True(chains.Sum(c => c.Kills.Count) >= Soak.Pick(10, 15), "Too few kills landed; see the kill table in the output.");
    }

    /// <summary>
    /// Runs each chain on a fresh clone; when a run finishes before its kill point (a phase shorter
    /// than the probe could see on a busy machine), that point and the rest continue on another fresh
    /// clone (twice at most; time points not). Each clone's end state is checked by <paramref name="verifyAsync"/>.
    /// </summary>
    private async Task<List<KillChain>> RunChainsAsync(
        IEnumerable<(string Name, KillPoint[] Points)> plan, string[] command, string anchor, Func<ProgressSnapshot, bool> movesRows,
        Func<Task<TestDatabase>> cloneAsync, Func<string, TestDatabase, Task> verifyAsync, IReadOnlyDictionary<string, string> rowsBefore)
    {
        var chains = new List<KillChain>();
        foreach (var (name, all) in plan)
        {
            var points = all.ToList();
            // Time points need no second try: a later one missed means the reruns got quicker than it.
            var parts = name.EndsWith("/time", StringComparison.Ordinal) ? 1 : 3;
            for (var part = 1; points.Count > 0 && part <= parts; part++)
            {
                var label = part == 1 ? name : $"{name} ({part})";
                await using var database = await cloneAsync();
                var chain = new KillChain(fixture, database, rowsBefore, command, anchor, movesRows);
                var used = await chain.RunAsync(label, points);
                await verifyAsync(label, database);
                chains.Add(chain);
                // A missed point gets another try on the fresh clone.
                points = points.Skip(chain.Missed.Count > 0 ? used - 1 : used).ToList();
            }
        }

        return chains;
    }

    /// <summary>
    /// Kill points by observed progress, in three chains (a run that finishes before its kill point
    /// ends a chain, so the short late phases get chains of their own), and by time in a fourth.
    /// </summary>
    private static IEnumerable<(string Name, KillPoint[] Points)> UpChains(long quarantined)
    {
        var cleanupSteps = Soak.Pick(4, 10);
        yield return ("up/cleanup",
        [
            When("025: adding the FKs NOT VALID", s => Running(s, "add_text_fks_not_valid") || s.TextForeignKeys >= 1),
            .. Enumerable.Range(1, cleanupSteps).Select(i =>
            {
                var share = (double)i / (cleanupSteps + 1);
                var threshold = (long)(quarantined * share);
                return When($"025 cleanup batches, quarantine at {share:P0} ({threshold}+ of {quarantined})",
                    s => s.Quarantined >= threshold && (Running(s, "quarantine_text_orphans") || s.ValidatedForeignKeys > 0));
            }),
            // The cleanup's reruns are quick (the orphans found are fewer each time): kill them a few looks in.
            .. (Soak.Enabled ? new[] { 1, 2, 3, 4, 6, 8 } : [1, 3, 5]).Select(look => WhileRunning($"025 cleanup rerun, look {look}", "quarantine_text_orphans", look, s => s.ValidatedForeignKeys > 0)),
        ]);
        yield return ("up/index+validate",
        [
            When("025: first CREATE INDEX CONCURRENTLY", s => Running(s, "CREATE INDEX CONCURRENTLY") || s.TextIndexes > 0),
            When("025: CIC #3 (error_logs, the biggest)", s => (Running(s, "CREATE INDEX CONCURRENTLY") && s.TextIndexes >= 3) || s.ValidTextIndexes == 9),
            When("025: CIC #6", s => (Running(s, "CREATE INDEX CONCURRENTLY") && s.TextIndexes >= 6) || s.ValidTextIndexes == 9),
            When("025: CIC #8–9", s => (Running(s, "CREATE INDEX CONCURRENTLY") && s.TextIndexes >= 8) || s.ValidTextIndexes == 9),
            When("025: VALIDATE starting", s => Running(s, "validate_text_fks") || s.ValidatedForeignKeys > 0),
            When("025: VALIDATE, 5+ of 9 validated", s => s.ValidatedForeignKeys >= 5 || s.Journaled >= 1),
        ]);
        yield return ("up/026",
        [
            When("025 journaled, 026 starting", s => s.Journaled >= 1),
            When("026: GIN index builds", s => Running(s, "gin") || s.GinIndexes >= 1),
            When("026: GIN index #3+", s => (Running(s, "gin") && s.GinIndexes >= 2) || s.GinIndexes == 4),
            When("026: functions", s => Running(s, "FUNCTION") || s.Triggers > 0),
            When("026: triggers", s => Running(s, "TRIGGER") || s.Journaled == 2),
        ]);

        int[] delays = Soak.Enabled
            ? [10, 30, 60, 100, 150, 200, 270, 350, 450, 550, 700, 850, 1000, 1200, 1400, 1700, 2000, 2400, 2800, 3300, 3900, 4600]
            : [20, 60, 110, 170, 240, 320, 420, 540, 700, 900];
        yield return ("up/time", [AfterStart(400), AfterStart(900), .. delays.Select(After)]);

        // Each kill leaves less work for the next run, so the long delays above are seldom reached
        // once the cleanup got faster (21 of the 31 default points landed): a second chain from a
        // fresh clone with short delays keeps the default run well above its 20 kills.
        if (!Soak.Enabled)
        {
            yield return ("up/time, second clone", [AfterStart(650), .. new[] { 40, 90, 140, 200, 280 }.Select(After)]);
        }
    }

    private static IEnumerable<(string Name, KillPoint[] Points)> DownChains(long quarantined)
    {
        KillPoint[] progress =
        [
            When("026 down: dropping triggers", s => Running(s, "DROP TRIGGER") || s.Triggers < 14),
            When("026 down: dropping functions", s => Running(s, "DROP FUNCTION") || s.Triggers == 0),
            When("026 down: dropping GIN indexes", s => Running(s, "_gin") || s.GinIndexes < 4),
            When("025 down: dropping FKs", s => Running(s, "DROP CONSTRAINT") || s.TextForeignKeys < 9),
            When("025 down: restoring data (quarantine < 80 %)", s => s.Quarantined < quarantined * 0.8),
            When("025 down: restoring data (quarantine < 40 %)", s => s.Quarantined < quarantined * 0.4),
            When("025 down: dropping indexes", s => Running(s, "DROP INDEX CONCURRENTLY") || s.TextIndexes < 9),
            When("025 down: 4 or fewer indexes left", s => s.TextIndexes <= 4),
            When("025 down: dropping its routines and tables", s => Running(s, "DROP PROCEDURE") || s.TextIndexes == 0),
        ];
        yield return ("down/progress", progress);

        int[] delays = Soak.Enabled
            ? [5, 15, 30, 50, 75, 100, 130, 170, 220, 280, 350, 430, 520, 650, 800]
            : [20, 90, 200, 350];
        yield return ("down/time", [AfterStart(600), .. delays.Select(After)]);
    }

    private static void Report(ReliabilityFigures figures, string command, List<KillChain> chains, long quarantined)
    {
        var kills = chains.SelectMany(c => c.Kills).ToList();
        figures.Line($"`{command}` on a seeded database at scale {ReliabilityDatabases.Scale.ToString(CultureInfo.InvariantCulture)} ({quarantined} rows quarantined by 025): " +
                     $"{kills.Count} SIGKILLs landed in {chains.Count} chains, each chain then finished by an unkilled run.");
        figures.Line("");
        figures.Line("| chain | # | planned kill point | killed after (s) | what the probe saw just before the kill | sessions gone after (ms) | rows checked | lock_timeout retries |");
        figures.Line("|---|---|---|---|---|---|---|---|");
        foreach (var k in kills)
        {
            figures.Line($"| {k.Chain} | {k.Number} | {k.Planned} | {k.AfterStart.TotalSeconds:0.00} | {k.Seen.ToString().Replace("|", "/", StringComparison.Ordinal)} | {k.SessionsGoneAfter.TotalMilliseconds:0} | {(k.RowsChecked ? "yes" : "")} | {k.LockRetries} |");
        }

        foreach (var missed in chains.SelectMany(c => c.Missed))
        {
            figures.Line($"| | | {missed} | (not reached: that run finished first) | | | | |");
        }

        figures.Line("");
        figures.Line($"Unkilled last runs: {string.Join(", ", chains.Select(c => $"{c.FinalLockRetries} lock_timeout retries"))}.");
        figures.Line($"Killed sessions gone from the server after: max {kills.Max(k => k.SessionsGoneAfter.TotalMilliseconds):0} ms, " +
                     $"median {kills.Select(k => k.SessionsGoneAfter.TotalMilliseconds).Order().ElementAt(kills.Count / 2):0} ms.");
        figures.Save();
    }
}
