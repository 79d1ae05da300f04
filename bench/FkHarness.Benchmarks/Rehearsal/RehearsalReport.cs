using System.Globalization;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Benchmarks.Reporting;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>Scenario 5's runs reduced to medians per stage and scale, and the section text.</summary>
internal sealed class RehearsalReport(
    RehearsalBenchOptions options,
    IReadOnlyList<RehearsalRun> runs,
    IReadOnlyList<(string Way, TimeSpan Wall)> launch,
    IReadOnlyList<BackupCompression.Variant> backup,
    AspireComparison.Result comparison)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public ScenarioReport Build(string command, MachineInfo machine) => new()
    {
        Key = RehearsalScenario.Key,
        Title = "Full rehearsal: Aspire against the in-process pipeline, time per stage",
        Command = command,
        Scale = string.Create(Invariant,
            $"the AppHost's --scale {string.Join(" and ", options.Scales)} (1 = 1,000 users, ~104,000 rows; 10 ≈ 1.04 million rows), default options otherwise; the Aspire/in-process comparison at 1, {options.ComparisonRepetitions} rounds; the time per stage {options.Repetitions} rehearsals per scale; medians"),
        Machine = machine,
        Date = DateTimeOffset.UtcNow,
        Tables = [new AspireComparisonReport(comparison).Table(), Stages(), Launch(), Backup()],
        Targets = new AspireComparisonReport(comparison).Targets(),
        Notes = [.. new AspireComparisonReport(comparison).Notes(), .. Notes()],
    };

    private List<string> Notes()
    {
        var smallest = options.Scales.Min();
        var stagesAtSmallest = Stats.Median(runs.Where(r => r.Scale == smallest).Select(r => r.StageSeconds));
        var viaRun = launch[0].Wall.TotalSeconds;
        var viaDll = launch[^1].Wall.TotalSeconds;
        var plain = backup[0];
        var fast = backup[1];
        return
        [
            "Time per stage: each rehearsal is the AppHost run as a process (`dotnet exec fkharness.dll --scale N --artifacts DIR`, headless since its output is redirected, PostgreSQL `local` by default), on its own throwaway server; the stage times are the ones it writes to FK_AUDIT_REPORT.json. \"process\" is the wall time of the whole process: stages plus the start-up and shutdown the comparison above splits.",
            string.Create(Invariant,
                $"Not PostgreSQL's work, and what was done about it. Starting: `dotnet run` checks the build first, {viaRun:0.0} s before any stage, against {viaDll:0.00} s for the built dll — at scale {smallest} that is {viaRun / stagesAtSmallest:P0} of the rehearsal's own time; run the dll after one build (the README's AppHost section shows how). Teardown: it waited for the cluster watchdog's next 0.5 s poll after pg_ctl had already stopped the server; it no longer does (0.57 s → the figure above; commit 2adf90e)."),
            string.Create(Invariant,
                $"Backup: {1 - (fast.Wall / plain.Wall):P0} of pg_dump -Fc's time is zlib at its default level in the pg_dump process; -Z 1 takes {fast.Wall / plain.Wall:P0} of the time for a {(double)fast.Bytes / plain.Bytes - 1:P0} bigger file. Not changed: the stage rehearses the plan's Step 2 as staging will run it, and its time is part of what the rehearsal reports — a one-argument change in BackupStage if rehearsal speed matters more."),
            "Provision: under Aspire the AppHost's PostgreSQL resource exists before the rehearsal starts, so the stage only takes fkdb; in-process, initdb was most of it (1.4–1.8 s alone on this machine; copying a cached, already initialised data directory measured 0.8 s here, the disk is slow, so not done). Seed: the seeder's own benchmark (seeding throughput) covers it. Audit, migrate and verify are PostgreSQL scanning the data, and grow with it.",
        ];
    }

    private ReportTable Stages()
    {
        var scales = options.Scales;
        var names = runs.SelectMany(r => r.Stages.Select(s => s.Stage)).Distinct().ToList();
        var rows = names.Select(name => (IReadOnlyList<string>)
            [name, .. scales.SelectMany(scale => Cell(scale, r => r.Stages.Where(s => s.Stage == name).Sum(s => s.Seconds)))]).ToList();
        rows.Add(["all stages", .. scales.SelectMany(scale => Cell(scale, r => r.StageSeconds))]);
        rows.Add(["process (stages + start-up)", .. scales.SelectMany(scale => Cell(scale, r => r.ProcessWall.TotalSeconds))]);
        return new("Seconds per stage (medians)", ["stage", .. scales.SelectMany(s => new[] { $"scale {s}", $"share at {s}" })], rows);
    }

    private IEnumerable<string> Cell(double scale, Func<RehearsalRun, double> seconds)
    {
        var of = runs.Where(r => r.Scale == scale).ToList();
        var value = Stats.Median(of.Select(seconds));
        var total = Stats.Median(of.Select(r => r.StageSeconds));
        return [value.ToString("0.00", Invariant), (value / total).ToString("P0", Invariant)];
    }

    private ReportTable Launch() => new(
        "What a user pays before the first stage: the AppHost's --help, started three ways (medians of 3)",
        ["started with", "wall time"],
        launch.Select(l => (IReadOnlyList<string>)[l.Way, string.Create(Invariant, $"{l.Wall.TotalSeconds:0.00} s")]).ToList());

    private ReportTable Backup()
    {
        var plain = backup[0];
        return new(
            string.Create(Invariant, $"The backup stage's work: pg_dump of a database seeded at scale {options.Scales.Max()} (medians of 3)"),
            ["pg_dump", "wall time", "size", "vs the stage's -Fc"],
            backup.Select(b => (IReadOnlyList<string>)
            [
                b.Arguments,
                string.Create(Invariant, $"{b.Wall.TotalSeconds:0.00} s"),
                string.Create(Invariant, $"{b.Bytes / 1e6:0.0} MB"),
                string.Create(Invariant, $"{b.Wall / plain.Wall:P0} of the time, {(double)b.Bytes / plain.Bytes:P0} of the size"),
            ]).ToList());
    }
}
