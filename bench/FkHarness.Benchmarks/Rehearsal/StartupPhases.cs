using System.Globalization;
using System.Text.RegularExpressions;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>
/// Where one rehearsal's wall time went, cut at lines it printed (the AppHost's own, and
/// Aspire's debug lines with FKH_DEBUG=1). A boundary a run does not print (the in-process
/// pipeline has no DCP) leaves its phase empty and its time in the next phase.
/// </summary>
/// <remarks>
/// Inside the stages phase, <see cref="StageWork"/> is what the stages themselves report (the sum of
/// their "succeeded in N s"); the rest is what runs between them. In one process that is little;
/// as one resource per step it is each step's hand-off: the process's end, DCP's reconciliation of
/// it (batched for 500 ms), the resource's state Finished, the next resource's start, and the next
/// program's runtime and wiring. <see cref="HandOffs"/> counts them (steps that went Finished before the verdict).
/// </remarks>
internal sealed partial record StartupPhases(IReadOnlyList<double?> Seconds, double Total, double? ProvisionStage, double StageWork, int HandOffs)
{
    /// <summary>The phase the stages run in (its index in <see cref="Phases"/>).</summary>
    public const int StagesPhase = 4;

    /// <summary>The stages phase less the stages' own work: what runs between them.</summary>
    public double BetweenStages => Math.Max(0, (Seconds[StagesPhase] ?? double.NaN) - StageWork);

    /// <summary>The phases in order: a label, and the line that ends it (the last one ends with the process).</summary>
    public static readonly IReadOnlyList<(string Label, Func<string, bool>? EndsAt)> Phases =
    [
        ("start: `dotnet run`'s build check, the runtime, the CLI's checks (to the first line)", line => line.Contains("fkharness:", StringComparison.Ordinal)),
        ("DCP start (to its API server)", line => line.Contains("API server started", StringComparison.Ordinal)),
        ("fkdb ready: resources made, initdb or the container, server start, health check, CREATE DATABASE", line => line.Contains("Publishing ResourceReadyEvent for 'fkdb'", StringComparison.Ordinal)),
        ("rehearsal start: DCP starts its first resource and that program starts (in-process: in the first phase)", line => FirstStageStarted().IsMatch(line)),
        ("stages, the first → report (in-process: provision includes initdb and the server start; one resource per step: each step's process start and DCP's hand-off too)", line => line.StartsWith("Rehearsal succeeded in", StringComparison.Ordinal) || line.StartsWith("Rehearsal failed", StringComparison.Ordinal)),
        // The first resource to finish after the verdict: the rehearsal (or, run as one resource per step, the last step).
        ("the rehearsal process's exit seen (state Finished)", line => line.Contains("-> Finished", StringComparison.Ordinal)),
        ("shutdown: the app stopped, DCP's exit awaited (nothing left running)", null),
    ];

    public static StartupPhases From(TimedProcess.Output output)
    {
        var seconds = new List<double?>();
        var previous = 0.0;
        var from = 0;
        foreach (var (_, endsAt) in Phases)
        {
            double end;
            if (endsAt is null)
            {
                end = output.Wall.TotalSeconds;
            }
            else
            {
                var index = IndexOf(output.Lines, endsAt, from);
                if (index < 0)
                {
                    seconds.Add(null);
                    continue;
                }

                from = index;
                end = output.Lines[index].Seconds;
            }

            seconds.Add(end - previous);
            previous = end;
        }

        var provision = output.Lines.Select(l => ProvisionSucceeded().Match(l.Line)).FirstOrDefault(m => m.Success);
        var first = IndexOf(output.Lines, FirstStageStarted().IsMatch, 0);
        var verdict = IndexOf(output.Lines, Phases[StagesPhase].EndsAt!, Math.Max(first, 0));
        var during = first < 0 || verdict < 0 ? [] : output.Lines.Skip(first).Take(verdict - first).Select(l => l.Line).ToList();
        var work = during.Select(l => StageEnded().Match(l)).Where(m => m.Success).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        var handOffs = during.Count(l => l.Contains("Running -> Finished", StringComparison.Ordinal));
        return new StartupPhases(seconds, output.Wall.TotalSeconds,
            provision is null ? null : double.Parse(provision.Groups[1].Value, CultureInfo.InvariantCulture), work, handOffs);
    }

    private static int IndexOf(IReadOnlyList<(double Seconds, string Line)> lines, Func<string, bool> matches, int from)
    {
        for (var i = from; i < lines.Count; i++)
        {
            if (matches(lines[i].Line))
            {
                return i;
            }
        }

        return -1;
    }

    [GeneratedRegex(@"^stage \S+: started")]
    private static partial Regex FirstStageStarted();

    /// <summary>A stage's outcome line: "stage migrate 025: succeeded in 0.54 s - …" (failed and skipped alike).</summary>
    [GeneratedRegex(@"^stage [^:]+: \w+ in ([0-9.]+) s")]
    private static partial Regex StageEnded();

    [GeneratedRegex(@"stage provision: succeeded in ([0-9.]+) s")]
    private static partial Regex ProvisionSucceeded();
}
