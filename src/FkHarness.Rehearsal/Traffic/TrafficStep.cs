using System.Diagnostics;
using FkHarness.Catalog;
using FkHarness.Rehearsal.Commands;
using FkHarness.Rehearsal.Hosting;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Resources;
using FkHarness.Rehearsal.State;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// <c>--step traffic --run-folder DIR</c>: the synthetic writers as a process of their own (a
/// resource of the AppHost's graph, started once the step before the first migration ended). On
/// the run's database (the one the first step provisioned), it writes <c>state/traffic.ready</c>
/// after the before-window, writes until <c>state/traffic.stop</c> exists (the last migrate step,
/// or a step that failed, writes it) or <see cref="TrafficOptions.MaxRunTime"/> passed, then checks,
/// removes its rows and writes <c>state/traffic.json</c>. Exit 0 once traffic.json is written,
/// whatever the checks found (verify and the report judge them); 1 if it could not run; 2 for bad
/// input; 130 after Ctrl+C (with what was measured so far).
/// </summary>
internal static class TrafficStep
{
    public const string Name = "traffic";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(RehearsalOptions options, StepRequest request, CancellationToken cancellationToken)
    {
        var state = request.RunFolder is { } folder ? await new RehearsalStateFile(folder).LoadAsync(cancellationToken) : null;
        if (request.RunFolder is not { } runFolder || options.ConnectionString is null || (state?.RunId ?? request.RunId) is not { } runId)
        {
            await Console.Error.WriteLineAsync($"fkharness: --step traffic needs --run-folder DIR of a run whose first step ran (or --run-id), and {FkdbConnectionString.EnvironmentVariable}.");
            return ExitCodes.InvalidInput;
        }

        var artifacts = RehearsalArtifacts.Open(runFolder, runId);
        var signals = new TrafficSignals(artifacts);
        var traffic = options.Traffic ?? new TrafficOptions();
        Directory.CreateDirectory(artifacts.StateDirectory);
        using var host = RehearsalHost.Build(options, artifacts, interactive: false);
        var provider = host.Services.GetRequiredService<IDatabaseProvider>();
        TrafficRun run;
        try
        {
            var database = await provider.ReattachAsync(runId, cancellationToken);
            run = await TrafficRun.StartAsync(database.ConnectionString, traffic, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or StageFailedException)
        {
            await Console.Error.WriteLineAsync($"fkharness: the traffic could not start: {SecretRedactor.Redact(e.Message)}");
            return ExitCodes.Failed;
        }
        finally
        {
            // The database is the rehearsal's: this step never tears it down.
            provider.HandOver();
        }

        await using (run)
        {
            try
            {
                await run.BeforeWindowAsync(cancellationToken);
                await File.WriteAllTextAsync(signals.Ready, DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
                Console.WriteLine($"fkharness: traffic: {traffic.Rate} writes/s by {traffic.Writers} writers; ready, writing until {signals.Stop} exists");
                var clock = Stopwatch.StartNew();
                while (!File.Exists(signals.Stop) && clock.Elapsed < traffic.MaxRunTime)
                {
                    await Task.Delay(Poll, cancellationToken);
                }

                var result = await run.StopAsync(cancellationToken);
                await TrafficStateFiles.WriteResultAsync(signals, result, CancellationToken.None);
                Console.WriteLine($"fkharness: traffic: {result.Samples.Count} writes; results in {signals.Result}");
                return ExitCodes.Succeeded;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await TrafficStateFiles.WriteResultAsync(signals, await run.AbortAsync(), CancellationToken.None);
                return ExitCodes.Cancelled;
            }
        }
    }
}
