using System.Globalization;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Benchmarks.Reporting;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>Scenario 5's runs reduced to medians per stage and scale, and the section text.</summary>
internal sealed class RehearsalReport(
    RehearsalBenchOptions options,
    IReadOnlyList<RehearsalRun> runs,
    IReadOnlyList<(string Way, TimeSpan Wall)> launch,
    IReadOnlyList<BackupCompression.Variant> backup)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public ScenarioReport Build(string command, MachineInfo machine) => new()
    {
        Key = RehearsalScenario.Key,
        Title = "Full rehearsal: time per stage",
        Command = command,
        Scale = string.Create(Invariant,
            $"the AppHost's --scale {string.Join(" and ", options.Scales)} (1 = 1,000 users, ~104,000 rows; 10 ≈ 1.04 million rows), default options otherwise; {options.Repetitions} rehearsals per scale, medians"),
        Machine = machine,
        Date = DateTimeOffset.UtcNow,
        Tables = [Stages(), Launch(), Backup()],
        Notes =
        [
            "Each rehearsal is the AppHost run as a process (`dotnet exec fkharness.dll --scale N --artifacts DIR`), provisioning its own throwaway cluster; the stage times are the ones it writes to FK_AUDIT_REPORT.json. \"process\" is the wall time of the whole process: stages plus the runtime's start and the host's wiring.",
        ],
    };

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
