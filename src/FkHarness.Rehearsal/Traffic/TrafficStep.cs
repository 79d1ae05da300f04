using System.Diagnostics;
using FkHarness.Catalog;
using FkHarness.Rehearsal.Commands;
using Npgsql;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// <c>--step traffic --run-folder DIR</c>: the synthetic writers as a process of their own (one
/// resource of the AppHost's graph). Starts them on the database of ConnectionStrings__fkdb,
/// writes <c>state/traffic.ready</c> after the before-window, writes until <c>state/traffic.stop</c>
/// exists (or <see cref="TrafficOptions.MaxRunTime"/> passed), then checks, removes its rows and
/// writes <c>state/traffic.json</c>. Exit 0 once traffic.json is written, whatever the checks found
/// (the report judges them); 1 if it could not run; 2 for bad input; 130 after Ctrl+C.
/// </summary>
internal static class TrafficStep
{
    public const string Name = "traffic";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(RehearsalOptions options, CancellationToken cancellationToken)
    {
        if (options.RunFolder is not { } runFolder || options.ConnectionString is not { } connectionString)
        {
            await Console.Error.WriteLineAsync($"fkharness: --step traffic needs --run-folder and the database ({FkdbConnectionString.EnvironmentVariable} or --connection-string).");
            return ExitCodes.InvalidInput;
        }

        var traffic = options.Traffic ?? new TrafficOptions();
        Directory.CreateDirectory(Path.GetDirectoryName(TrafficStateFiles.Ready(runFolder))!);
        TrafficRun run;
        try
        {
            run = await TrafficRun.StartAsync(connectionString, traffic, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            await Console.Error.WriteLineAsync($"fkharness: the traffic could not start: {SecretRedactor.Redact(e.Message)}");
            return ExitCodes.Failed;
        }

        await using (run)
        {
            try
            {
                await run.BeforeWindowAsync(cancellationToken);
                await File.WriteAllTextAsync(TrafficStateFiles.Ready(runFolder), DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
                Console.WriteLine($"fkharness: traffic: {traffic.Rate} writes/s by {traffic.Writers} writers; ready, writing until {TrafficStateFiles.Stop(runFolder)} exists");
                var clock = Stopwatch.StartNew();
                while (!File.Exists(TrafficStateFiles.Stop(runFolder)) && clock.Elapsed < traffic.MaxRunTime)
                {
                    await Task.Delay(Poll, cancellationToken);
                }

                var result = await run.StopAsync(cancellationToken);
                await TrafficStateFiles.WriteResultAsync(runFolder, result, CancellationToken.None);
                Console.WriteLine($"fkharness: traffic: {result.Samples.Count} writes; results in {TrafficStateFiles.Result(runFolder)}");
                return ExitCodes.Succeeded;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await TrafficStateFiles.WriteResultAsync(runFolder, await run.AbortAsync(), CancellationToken.None);
                return ExitCodes.Cancelled;
            }
        }
    }
}
