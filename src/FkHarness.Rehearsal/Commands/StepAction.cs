using System.Diagnostics;
using FkHarness.Catalog;
using FkHarness.Migrator.Scripts;
using FkHarness.Rehearsal.Hosting;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Progress;
using FkHarness.Rehearsal.Resources;
using FkHarness.Rehearsal.State;
using FkHarness.Rehearsal.Traffic;
using Microsoft.Extensions.DependencyInjection;

namespace FkHarness.Rehearsal.Commands;

/// <summary>
/// <c>--step NAME --run-folder DIR --use-fkdb</c>: one step of the plan as a process of its own
/// (an AppHost resource). It takes what the steps before it found from the run folder's
/// state/context.json, runs its stages, and saves the state back. Exit code 0 when the step
/// succeeded, was skipped, or is verify with failed checks (the verdict stays in the state, so the
/// rollback is still rehearsed); otherwise it tears down and writes the report itself, naming the
/// stage, and exits as the rehearsal would. The <c>report</c> step ends the rehearsal with its exit code.
/// </summary>
internal static class StepAction
{
    public static async Task<int> RunAsync(RehearsalOptions options, StepRequest request, CancellationToken cancellationToken)
    {
        if (request.RunFolder is not { } runFolder || options.ConnectionString is null)
        {
            await Console.Error.WriteLineAsync($"fkharness: --step needs --run-folder DIR and {FkdbConnectionString.EnvironmentVariable} (with --use-fkdb, or an existing server): its steps share one database and one folder.");
            return ExitCodes.InvalidInput;
        }

        var stateFile = new RehearsalStateFile(runFolder);
        StepTurn turn;
        try
        {
            turn = await StepTurn.TakeAsync(stateFile.Directory, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"fkharness: --step {request.Name}: stopped while another step still held {runFolder}; this step did nothing.");
            return ExitCodes.Cancelled;
        }

        using (turn)
        {
            return await RunInTurnAsync(options, request, stateFile, cancellationToken);
        }
    }

    private static async Task<int> RunInTurnAsync(RehearsalOptions options, StepRequest request, RehearsalStateFile stateFile, CancellationToken cancellationToken)
    {
        var runFolder = request.RunFolder!;
        var state = await stateFile.LoadAsync(cancellationToken);
        var set = MigrationSet.Load(options.MigrationsDirectory);
        var steps = RehearsalPlan.Steps(options, set);
        var index = steps.ToList().FindIndex(s => s.Name == request.Name);
        if (index < 0)
        {
            await Console.Error.WriteLineAsync($"fkharness: --step {request.Name}: no such step in this plan; its steps are {string.Join(", ", steps.Select(s => s.Name))}.");
            return ExitCodes.InvalidInput;
        }

        if (state is null && index > 0)
        {
            await Console.Error.WriteLineAsync($"fkharness: --step {request.Name} needs what the steps before it found, and {stateFile.Path} does not exist: run {steps[0].Name} first.");
            return ExitCodes.InvalidInput;
        }

        var artifacts = RehearsalArtifacts.Open(runFolder, state?.RunId ?? request.RunId ?? RehearsalArtifacts.Create(runFolder, DateTimeOffset.UtcNow).RunId);
        var stop = new StopRequest(artifacts);
        if (state?.Teardown is not null && stop.IsRequested)
        {
            // The AppHost was stopped and the step before this one closed the rehearsal (this is the report step the AppHost ran, or one DCP started as the signal landed).
            Console.WriteLine($"fkharness: --step {request.Name}: the rehearsal was stopped and already closed (teardown ran, the report is written); nothing to do.");
            return ExitCodes.For(state.Stages);
        }

        using var host = RehearsalHost.Build(options, artifacts, interactive: false);
        var services = host.Services;
        var context = new RehearsalContext(options, artifacts, services.GetRequiredService<ForeignKeyCatalog>());
        if (state is null)
        {
            Console.WriteLine(RehearseAction.Introduction(options, artifacts, "steps", steps.Select(s => s.Name)));
        }
        else
        {
            // The database is fkdb, given again to this process; its stages carry on with what the others found.
            context.Database = await services.GetRequiredService<IDatabaseProvider>().ReattachAsync(artifacts.RunId, cancellationToken);
            state.ApplyTo(context);
        }

        // Once the traffic step wrote its result (after the last migration), verify counts its checks and the report shows it.
        await TrafficStateFiles.AttachAsync(context, new TrafficSignals(artifacts), cancellationToken);

        using var trace = StartTrace(request.Name, state?.TraceParent, artifacts.RunId);
        var traceParent = state?.TraceParent ?? trace?.Id;
        using var stopWatch = StopRequestWatch.Start(stop, cancellationToken);
        var runner = new StepRunner(services, new TrafficSignals(artifacts), stop);
        var ended = await runner.RunAsync(steps[index], steps, context, stopWatch.Token);
        await stateFile.SaveAsync(RehearsalState.From(context, traceParent), CancellationToken.None);
        if (!ended)
        {
            services.GetRequiredService<IDatabaseProvider>().HandOver();
            return ExitCodes.Succeeded;
        }

        services.GetRequiredService<IRehearsalConsole>().Summary(context);
        return ExitCodes.For(context.Stages);
    }

    /// <summary>
    /// The first step starts the rehearsal's trace (its span is the root); every later step's span
    /// is a child of it, so the dashboard shows one trace per rehearsal, a span per step and stage.
    /// </summary>
    private static Activity? StartTrace(string step, string? traceParent, string runId)
    {
        var activity = traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? RehearsalTelemetry.Source.StartActivity($"step {step}", ActivityKind.Internal, parent)
            : RehearsalTelemetry.Source.StartActivity("rehearsal");
        activity?.SetTag("fkharness.run_id", runId);
        activity?.SetTag("fkharness.step", step);
        return activity;
    }
}
