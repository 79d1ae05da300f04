using FkHarness.AppHost.Steps;
using FkHarness.Migrator.Scripts;
using FkHarness.Rehearsal.Afterwards;
using FkHarness.Rehearsal.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace FkHarness.AppHost.Commands;

/// <summary>
/// What someone demonstrating rollback wants to click on fkdb in the dashboard once the rehearsal
/// ended (with --keep): roll back 026, roll back 025, re-apply, re-run the audit. Each is a step of
/// the rehearsal's own executable (<c>--step command-NAME</c>), a resource started on demand with
/// its log and exit code in the dashboard: it runs the migrator on fkdb, records what changed in the
/// run's state and rewrites report.html and FK_AUDIT_REPORT.json. Its one-line answer is the
/// command's result. One command at a time.
/// </summary>
internal static class DatabaseCommands
{
    private static readonly string[] Ended = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart];

    public static IResourceBuilder<IResourceWithConnectionString> WithDatabaseCommands(
        this IResourceBuilder<IResourceWithConnectionString> fkdb, RehearsalGraph graph, MigrationSet set)
    {
        // Per app, not per process: the tests run several AppHosts in one process.
        var oneAtATime = new SemaphoreSlim(1, 1);
        foreach (var command in DatabaseCommand.For(set))
        {
            var resource = fkdb.ApplicationBuilder.AddRehearsalStep(command.Step, fkdb, graph)
                .WithExplicitStart()
                .ExcludeFromManifest();
            fkdb.WithCommand(command.Name, command.Title, context => RunAsync(context, resource.Resource.Name, command, graph.Run.Directory, oneAtATime),
                new CommandOptions
                {
                    Description = $"{command.Description} Then report.html and FK_AUDIT_REPORT.json are rewritten (section \"After the rehearsal\"). Once the rehearsal has ended.",
                    IconName = command.Kind switch
                    {
                        DatabaseCommandKind.RollBack => "ArrowUndo",
                        DatabaseCommandKind.Reapply => "ArrowRedo",
                        _ => "DocumentSearch",
                    },
                });
        }

        return fkdb;
    }

    private static async Task<ExecuteCommandResult> RunAsync(ExecuteCommandContext context, string resource, DatabaseCommand command, string runFolder, SemaphoreSlim oneAtATime)
    {
        if (!await oneAtATime.WaitAsync(0, context.CancellationToken))
        {
            return CommandResults.Failure($"{command.Title}: not run: another of fkdb's commands is running; one at a time.");
        }

        try
        {
            CommandAnswer.Clear(runFolder, command.Step);
            var exitCode = await StartAndWaitAsync(context, resource);
            var answer = CommandAnswer.Read(runFolder, command.Step) ?? $"{command.Title}: {resource} {(exitCode is null ? "did not start" : $"exited with code {exitCode}")}: see its log.";
            Console.WriteLine($"fkharness: fkdb: {answer}");
            return exitCode == ExitCodes.Succeeded ? CommandResults.Success(answer) : CommandResults.Failure(answer);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    /// <summary>Starts the command's resource and waits for this run of it to end.</summary>
    /// <returns>Its exit code; null when it did not start.</returns>
    private static async Task<int?> StartAndWaitAsync(ExecuteCommandContext context, string resource)
    {
        var commands = context.Services.GetRequiredService<ResourceCommandService>();
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(30));
        // Watching before the start: the resource's last run ended too, and only an end after a start is this run's.
        await using var events = notifications.WatchAsync(limit.Token).GetAsyncEnumerator(limit.Token);
        // The first step subscribes (and replays the current states): from here on no change is missed.
        await events.MoveNextAsync();
        var started = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, limit.Token);
        if (!started.Success)
        {
            return null;
        }

        var running = false;
        do
        {
            var e = events.Current;
            if (e.Resource.Name != resource)
            {
                continue;
            }

            var state = e.Snapshot.State?.Text;
            if (running && Ended.Contains(state))
            {
                return state == KnownResourceStates.FailedToStart ? null : e.Snapshot.ExitCode;
            }

            running |= state is { Length: > 0 } && !Ended.Contains(state) && state != KnownResourceStates.NotStarted;
        }
        while (await events.MoveNextAsync());

        return null;
    }
}
