using FkHarness.AppHost.Steps;
using FkHarness.Rehearsal.Commands;
using FkHarness.Rehearsal.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FkHarness.AppHost.Running;

/// <summary>
/// Runs the app once: starts it, shows the steps' output in order, waits for the rehearsal to end
/// (the report step ended, a step failed, the database failed, or Ctrl+C/SIGTERM: then the
/// running step closes the rehearsal, or with none running the AppHost runs the report step),
/// stops everything and returns the rehearsal's exit code. With --keep, stays up after a finished
/// rehearsal until Ctrl+C.
/// </summary>
internal static class RehearsalRun
{
    private static readonly string[] Ended = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart];
    private static readonly string[] Broken = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart, KnownResourceStates.RuntimeUnhealthy];

    public static async Task<int> RunAsync(DistributedApplication app, string serverName, RehearsalGraph graph, bool keep, RunConsole console)
    {
        if (DrivenByTests())
        {
            // Aspire.Hosting.Testing lets the entry point go on after Build and drives the app itself
            // (start, waits, stop): here the AppHost only runs until the test stops it, as any AppHost does.
            await app.RunAsync();
            return ExitCodes.Succeeded;
        }

        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var relay = new ResourceLogRelay(app.Services.GetRequiredService<ResourceLoggerService>(), notifications, graph.Steps);
        var watch = new StepGraphWatch(notifications, graph.Steps);
        using var stopWatching = new CancellationTokenSource();
        var relaying = Task.WhenAll(relay.RunAsync(stopWatching.Token), TrafficLines.RelayAsync(app, relay, stopWatching.Token));
        var rehearsalEnded = watch.EndAsync(stopWatching.Token);

        var starting = app.StartAsync(lifetime.ApplicationStopping);
        if (console.Dashboard)
        {
            Console.WriteLine($"Dashboard: {console.DashboardLogin}");
        }

        var serverBroke = notifications.WaitForResourceAsync(serverName, e => Broken.Contains(e.Snapshot.State?.Text), lifetime.ApplicationStopping);
        var stopped = Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping);
        var first = await Task.WhenAny(rehearsalEnded, serverBroke, stopped, Faulted(starting));

        int exitCode;
        if (first == rehearsalEnded && rehearsalEnded.IsCompletedSuccessfully)
        {
            var (step, code) = rehearsalEnded.Result;
            exitCode = code;
            await relay.RelayedAsync(step, TimeSpan.FromSeconds(10));
            // The steps after a failed one never start: their logs hold only Aspire's account of that.
            await stopWatching.CancelAsync();
            if (keep && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                Console.WriteLine("fkharness: --keep: fkdb" + (console.Dashboard ? " and the dashboard stay" : " stays") + " up until Ctrl+C (which stops the server and removes its folder).");
                await Task.WhenAny(stopped);
            }
        }
        else if (first == serverBroke && serverBroke.IsCompletedSuccessfully)
        {
            await Console.Error.WriteLineAsync($"fkharness: the PostgreSQL resource '{serverName}' went to state '{serverBroke.Result.Snapshot.State?.Text}' before the rehearsal ended; its log is in the dashboard (or run with --no-dashboard to see this run's lines). Nothing was left running.");
            exitCode = ExitCodes.InvalidInput;
        }
        else if (first == starting || starting.IsFaulted)
        {
            await Console.Error.WriteLineAsync($"fkharness: the app could not start: {starting.Exception?.GetBaseException().Message}");
            exitCode = ExitCodes.InvalidInput;
        }
        else
        {
            exitCode = ExitCodes.Cancelled;
            // First, so that a step DCP starts as the signal lands closes the rehearsal instead of running.
            await new StopRequest(graph.Run).RequestAsync("Ctrl+C or SIGTERM to the AppHost");
            await StopRunningStepFirstAsync(app, notifications, watch, relay);
            await stopWatching.CancelAsync();
            await ClosingReportStep.RunIfLeftOpenAsync(app, graph);
        }

        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await app.StopAsync(limit.Token);
        }

        await relay.DrainAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
        await stopWatching.CancelAsync();
        // DCP ends when the app is disposed; then it still removes containers and networks for a moment.
        await app.DisposeAsync();
        await OrchestratorExit.WaitAsync(TimeSpan.FromSeconds(20));
        await relaying;
        await Task.WhenAny(rehearsalEnded);
        if (exitCode == ExitCodes.Cancelled)
        {
            await Console.Error.WriteLineAsync("fkharness: stopped (Ctrl+C or SIGTERM); everything it started was stopped and removed.");
        }

        return exitCode;
    }

    /// <summary>
    /// Ctrl+C or SIGTERM: the running step is stopped on its own first (DCP sends it SIGTERM: it
    /// cancels its stage, tears down and writes the report), while its lines still reach the
    /// console; the steps after it never start, and the server is stopped after it.
    /// </summary>
    private static async Task StopRunningStepFirstAsync(DistributedApplication app, ResourceNotificationService notifications, StepGraphWatch watch, ResourceLogRelay relay)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            foreach (var step in watch.Running())
            {
                await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(step, KnownResourceCommands.StopCommand, limit.Token);
                await notifications.WaitForResourceAsync(step, e => Ended.Contains(e.Snapshot.State?.Text), limit.Token);
                await relay.RelayedAsync(step, TimeSpan.FromSeconds(5));
            }
        }
        catch (OperationCanceledException)
        {
            // Not ended within the limit: StopAsync ends it.
        }
    }

    private static bool DrivenByTests() =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Aspire.Hosting.Testing");

    private static async Task Faulted(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return;
        }

        await Task.Delay(Timeout.Infinite);
    }
}
