using System.Globalization;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Benchmarks.Reporting;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>The comparison's medians per phase and variant, the added time against the in-process baseline, and the 3 s target on <c>local</c>.</summary>
internal sealed class AspireComparisonReport(AspireComparison.Result result)
{
    /// <summary>Issue 11: at most this much added on <c>local</c> against the in-process pipeline.</summary>
    public const double TargetSeconds = 3;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private StartupVariant Baseline => result.Variants.Single(v => v.IsBaseline);

    public ReportTable Table()
    {
        var variants = result.Variants;
        var rows = new List<IReadOnlyList<string>>();
        for (var phase = 0; phase < StartupPhases.Phases.Count; phase++)
        {
            var index = phase;
            rows.Add([StartupPhases.Phases[phase].Label, .. variants.Select(v => Seconds(PhaseMedian(v, index)))]);
            if (phase == StartupPhases.StagesPhase)
            {
                rows.Add(["  of which the stages' own work (the sum of their reported times)", .. variants.Select(v => Seconds(Median(v, r => r.StageWork)))]);
                rows.Add(["  of which between the stages (one resource per step: each step's hand-off)", .. variants.Select(v => Seconds(Median(v, r => r.BetweenStages)))]);
                rows.Add(["  hand-offs (steps that ended before the verdict) and the median seconds per hand-off", .. variants.Select(HandOffCell)]);
            }
        }

        rows.Add(["**total** (`dotnet run` to the process's exit)", .. variants.Select(v => $"**{Seconds(Total(v))}**")]);
        rows.Add(["added vs in-process (median of the repetitions' differences)", .. variants.Select(v => v.IsBaseline ? "" : Signed(Added(v)))]);
        rows.Add(["ratio to in-process", .. variants.Select(v => v.IsBaseline ? "1" : string.Create(Invariant, $"{Total(v) / Total(Baseline):0.00}×"))]);
        rows.Add(["its provision stage (the stage's own figure)", .. variants.Select(v => Seconds(Stats.Median(result.Runs[v.Name].Select(r => r.ProvisionStage ?? double.NaN))))]);
        return new(
            string.Create(Invariant, $"The rehearsal at the default scale (1): the in-process pipeline it replaced against Aspire, seconds per phase (medians of {result.Runs[Baseline.Name].Count})"),
            ["phase", .. variants.Select(v => v.Name)],
            rows);
    }

    public IReadOnlyList<TargetResult> Targets() =>
        [.. result.Variants.Where(v => !v.IsBaseline && v.Name.Contains("local", StringComparison.Ordinal)).Select(v => new TargetResult(
            string.Create(Invariant, $"at most {TargetSeconds:0} s added on `local`: {v.Name}"),
            string.Create(Invariant, $"{Signed(Added(v))} ({Seconds(Total(v))} against {Seconds(Total(Baseline))})"),
            Added(v) <= TargetSeconds))];

    public IEnumerable<string> Notes()
    {
        var local = result.Variants.First(v => !v.IsBaseline);
        var baseline = Baseline;
        string Phase(StartupVariant v, int i) => Seconds(PhaseMedian(v, i));
        yield return string.Create(Invariant,
            $"Each run is `dotnet run --project src/FkHarness.AppHost -c Release -- [--postgres …] --artifacts DIR` from a repository root, as a user types it (so `dotnet run`'s build check is in every figure), the baseline from a git worktree of {BaselineCheckout.Commit} built once beforehand. The ways alternate repetition by repetition after one uncounted warm-up round. The phases are cut at lines each run prints, with FKH_DEBUG=1 so that Aspire's own lines (DCP's API server, fkdb's ResourceReadyEvent, a resource's Finished) show; the dashboard run goes through a terminal (`script`), which is what makes the AppHost start the dashboard. This process ran at nice {Niceness()}.");
        yield return string.Create(Invariant,
            $"Where `{local.Name}` spends what the in-process run does not: DCP's start {Phase(local, 1)}, fkdb ready {Phase(local, 2)} (DCP making the resources, the server's start, the health check, CREATE DATABASE; initdb runs during DCP's start; the in-process run makes its server in its provision stage, {Seconds(Stats.Median(result.Runs[baseline.Name].Select(r => r.ProvisionStage ?? double.NaN)))}), the rehearsal's start {Phase(local, 3)} (DCP starting its first resource; a project would add `dotnet run --no-build`, ~0.5 s, before the program itself starts), its exit seen {Phase(local, 5)}, shutdown {Phase(local, 6)} against {Phase(baseline, 6)} (the AppHost stops the app and waits for DCP to exit, so that nothing is left running). DCP's own start and stop alone come to about the 3 s target.");
        var between = Median(local, r => r.BetweenStages);
        yield return string.Create(Invariant,
            $"Between the stages `{local.Name}` spends {Seconds(between)} s ({HandOffCell(local)} s per hand-off) against {Seconds(Median(baseline, r => r.BetweenStages))} s in one process. Each hand-off: the step's process ends; DCP batches the exit for 500 ms before it reconciles it (`reconciliationDebounceDelay` in DCP's controllers/controller_common.go, a constant); the resource goes Finished; Aspire starts the next step, DCP its process; its runtime, state file and wiring take ~0.2 s before its first stage.");
        if (result.ContainerSkipped is { } why)
        {
            yield return "The container was not measured: " + why;
        }
    }

    private double PhaseMedian(StartupVariant variant, int phase)
    {
        var values = result.Runs[variant.Name].Select(r => r.Seconds[phase]).OfType<double>().ToList();
        return values.Count == 0 ? double.NaN : Stats.Median(values);
    }

    private double Median(StartupVariant variant, Func<StartupPhases, double> figure) => Stats.Median(result.Runs[variant.Name].Select(figure));

    private string HandOffCell(StartupVariant variant)
    {
        var runs = result.Runs[variant.Name];
        var handOffs = (int)Stats.Median(runs.Select(r => (double)r.HandOffs));
        return handOffs == 0 ? "0" : string.Create(Invariant, $"{handOffs} × {Stats.Median(runs.Select(r => r.BetweenStages / r.HandOffs)):0.00}");
    }

    private double Total(StartupVariant variant) => Stats.Median(result.Runs[variant.Name].Select(r => r.Total));

    private double Added(StartupVariant variant)
    {
        var baseline = result.Runs[Baseline.Name];
        var runs = result.Runs[variant.Name];
        return Stats.Median(runs.Zip(baseline, (run, inProcess) => run.Total - inProcess.Total));
    }

    private static string Seconds(double seconds) => double.IsNaN(seconds) ? "–" : string.Create(Invariant, $"{seconds:0.00}");

    private static string Signed(double seconds) => string.Create(Invariant, $"{(seconds >= 0 ? "+" : "")}{seconds:0.00} s");

    private static string Niceness()
    {
        // /proc/self/stat: field 19 is the nice value (fields counted after the command's closing parenthesis).
        var stat = File.ReadAllText("/proc/self/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16];
    }
}
