using System.Diagnostics;
using FkHarness.Catalog;
using FkHarness.Rehearsal.Afterwards;
using FkHarness.Rehearsal.Hosting;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Reporting;
using FkHarness.Rehearsal.Resources;
using FkHarness.Rehearsal.State;
using FkHarness.Rehearsal.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FkHarness.Rehearsal.Commands;

/// <summary>
/// <c>--step command-NAME --run-folder DIR --use-fkdb</c>: one of fkdb's commands, once the
/// rehearsal ended. Reattaches fkdb, runs the migrator (or 024) as the rehearsal's stages would,
/// records the run in state/context.json beside (not among) the rehearsal's stages, rewrites
/// FK_AUDIT_REPORT.json and report.html from that state, and leaves the database as it is (no
/// teardown: it is the kept one). Refuses, changing nothing, while the rehearsal's steps still run
/// or another command does. Exit 0 when it ran (a no-op included), 1 when the migrator failed, 2
/// when it refused, 130 when stopped.
/// </summary>
internal static class DatabaseCommandAction
{
    public static async Task<int> RunAsync(RehearsalOptions options, StepRequest request, DatabaseCommand command, CancellationToken cancellationToken)
    {
        if (request.RunFolder is not { } runFolder || options.ConnectionString is null)
        {
            await Console.Error.WriteLineAsync($"fkharness: --step {request.Name} needs --run-folder DIR and {FkdbConnectionString.EnvironmentVariable} (with --use-fkdb): it works on a rehearsal's kept database and folder.");
            return ExitCodes.InvalidInput;
        }

        var stateFile = new RehearsalStateFile(runFolder);
        // One command at a time on a run, and never beside a step: each reads the state, runs, and writes it back whole.
        if (StepTurn.TryTake(stateFile.Directory) is not { } turn)
        {
            return await RefuseAsync(runFolder, command, "another command or a step of the rehearsal is running on it; try again when it has finished.");
        }

        using (turn)
        {
            var state = await stateFile.LoadAsync(cancellationToken);
            if (state is null || !state.Stages.Any(s => s.Name == RehearsalPlan.ReportStep))
            {
                return await RefuseAsync(runFolder, command, state is null
                    ? $"{stateFile.Path} does not exist: there is no rehearsal to work on."
                    : "the rehearsal has not ended yet (its report step has not run): wait for it, its steps use the database.");
            }

            if (state.Teardown?.Kept is null && options.UsesExistingServer)
            {
                return await RefuseAsync(runFolder, command, "the rehearsal database was dropped at teardown: rehearse with --keep to use the commands afterwards.");
            }

            return await RunAsync(options, runFolder, state, stateFile, command, cancellationToken);
        }
    }

    private static async Task<int> RunAsync(RehearsalOptions options, string runFolder, RehearsalState state, RehearsalStateFile stateFile, DatabaseCommand command, CancellationToken cancellationToken)
    {
        var artifacts = RehearsalArtifacts.Open(runFolder, state.RunId);
        using var host = RehearsalHost.Build(options, artifacts, interactive: false);
        var services = host.Services;
        var context = new RehearsalContext(options, artifacts, services.GetRequiredService<ForeignKeyCatalog>());
        var provider = services.GetRequiredService<IDatabaseProvider>();
        try
        {
            context.Database = await provider.ReattachAsync(artifacts.RunId, cancellationToken);
        }
        catch (StageFailedException e)
        {
            return await RefuseAsync(runFolder, command, SecretRedactor.Redact(e.Message));
        }

        state.ApplyTo(context);
        await TrafficStateFiles.AttachAsync(context, new TrafficSignals(artifacts), cancellationToken);
        Console.WriteLine($"fkharness: {command.Title} on rehearsal {artifacts.RunId}: {command.Description}");

        using var span = StartSpan(command, state.TraceParent, artifacts.RunId);
        CommandRun run;
        try
        {
            run = await services.GetRequiredService<DatabaseCommandRunner>().RunAsync(command, context, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            // fkdb went away (stopped with the AppHost, say) while it was read: nothing to record but that.
            var failure = $"{command.Title}: could not finish, fkdb could not be read: {SecretRedactor.Redact(e.Message)}. The report and the state were not rewritten.";
            await Console.Error.WriteLineAsync($"fkharness: {failure}");
            await CommandAnswer.WriteAsync(runFolder, command.Step, failure);
            return cancellationToken.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Failed;
        }

        span?.SetTag("fkharness.command.status", run.Status.ToString());
        span?.SetTag("fkharness.command.summary", run.Summary);
        if (run.Status == CommandStatus.Failed)
        {
            span?.SetStatus(ActivityStatusCode.Error, run.Error);
        }

        context.Commands.Add(run);
        // The report is the rehearsal's, plus what happened since: rewritten from the state, whatever the command did.
        await AuditReportJson.WriteAsync(context, CancellationToken.None);
        await HtmlReport.WriteAsync(context, CancellationToken.None);
        await stateFile.SaveAsync(RehearsalState.From(context, state.TraceParent), CancellationToken.None);
        provider.HandOver();

        var answer = $"{command.Title}: {run.Summary}";
        Console.WriteLine($"fkharness: {answer}");
        Console.WriteLine($"fkharness: {Path.GetFileName(artifacts.AuditReport)} and {Path.GetFileName(artifacts.HtmlReport)} rewritten in {artifacts.Directory} (section \"After the rehearsal\").");
        await CommandAnswer.WriteAsync(runFolder, command.Step, answer);
        return run.Status switch
        {
            CommandStatus.Failed => ExitCodes.Failed,
            CommandStatus.Cancelled => ExitCodes.Cancelled,
            _ => ExitCodes.Succeeded,
        };
    }

    private static async Task<int> RefuseAsync(string runFolder, DatabaseCommand command, string why)
    {
        var answer = $"{command.Title}: not run, nothing changed: {why}";
        await Console.Error.WriteLineAsync($"fkharness: {answer}");
        await CommandAnswer.WriteAsync(runFolder, command.Step, answer);
        return ExitCodes.InvalidInput;
    }

    /// <summary>A trace of its own, linked to the rehearsal's: a click minutes later is not a stage of it.</summary>
    private static Activity? StartSpan(DatabaseCommand command, string? traceParent, string runId)
    {
        ActivityLink[] links = traceParent is not null && ActivityContext.TryParse(traceParent, null, out var rehearsal) ? [new ActivityLink(rehearsal)] : [];
        var activity = RehearsalTelemetry.Source.StartActivity($"command {command.Name}", ActivityKind.Internal, default(ActivityContext), links: links);
        activity?.SetTag("fkharness.run_id", runId);
        activity?.SetTag("fkharness.command", command.Name);
        return activity;
    }
}
