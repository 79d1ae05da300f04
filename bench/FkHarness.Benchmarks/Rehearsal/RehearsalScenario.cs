using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Benchmarks.Reporting;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>
/// Scenario 5: the full rehearsal under Aspire against the in-process pipeline it replaced, at the
/// default scale, with where the start-up time goes; the AppHost (as a process of its own, on its
/// own server) at the default scale and at 10×, time per stage; what a user pays before the first
/// stage; and what the backup stage's time is made of.
/// </summary>
internal sealed class RehearsalScenario(RehearsalBenchOptions options, TextWriter progress)
{
    public const string Key = "rehearsal";

    public async Task<ScenarioReport> RunAsync(string command, string repositoryRoot, CancellationToken cancellationToken)
    {
        var loadBefore = MachineInfo.LoadAverage();
        var apphost = new AppHostProcess(repositoryRoot);
        progress.WriteLine("Launch cost: --help started three ways (the first of each not counted)…");
        var launch = await apphost.LaunchCostsAsync(cancellationToken);

        progress.WriteLine("Aspire against the in-process pipeline, at the default scale…");
        var comparison = await new AspireComparison(repositoryRoot, options.ComparisonRepetitions, progress).RunAsync(cancellationToken);

        var runs = new List<RehearsalRun>();
        var artifacts = Path.Combine(Path.GetTempPath(), $"fkharness-bench-rehearsal-{Environment.ProcessId}");
        try
        {
            for (var repetition = 1; repetition <= options.Repetitions; repetition++)
            {
                foreach (var scale in options.Scales)
                {
                    progress.WriteLine($"Repetition {repetition}/{options.Repetitions}: rehearsal at scale {scale}…");
                    var run = await AppHostProcess.RehearseAsync(scale, Path.Combine(artifacts, $"{scale}-{repetition}"), cancellationToken);
                    progress.WriteLine($"  {run.ProcessWall.TotalSeconds:0.0} s ({string.Join(", ", run.Stages.Select(s => $"{s.Stage} {s.Seconds:0.00}"))})");
                    runs.Add(run);
                }
            }
        }
        finally
        {
            if (Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }
        }

        string version;
        IReadOnlyList<BackupCompression.Variant> backup;
        progress.WriteLine("Backup: pg_dump -Fc at its default compression, -Z 1 and -Z 0, on a throwaway cluster of the benchmark's own…");
        await using (var server = await BenchServer.StartAsync(cancellationToken))
        {
            version = server.Version;
            backup = await BackupCompression.MeasureAsync(server, options.Scales.Max(), progress, cancellationToken);
        }

        return new RehearsalReport(options, runs, launch, backup, comparison).Build(command, MachineInfo.Capture(version, loadBefore));
    }
}
