using FkHarness.Rehearsal.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace FkHarness.AppHost.Commands;

/// <summary>
/// What someone demonstrating rollback wants to click on fkdb in the dashboard (most useful with
/// --keep): roll back 026, roll back 025, re-apply, re-run the audit. Each is a migrator resource
/// started on demand (its output is its own log in the dashboard), followed by the audit, which
/// refreshes audit_now.json in the run's artifacts folder.
/// </summary>
internal static class MigratorCommands
{
    private static readonly string[] Ended = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart];

    public static IResourceBuilder<IResourceWithConnectionString> WithMigratorCommands(
        this IResourceBuilder<IResourceWithConnectionString> fkdb, string artifacts, string? migrations)
    {
        var builder = fkdb.ApplicationBuilder;
        string[] common = migrations is null ? [] : ["--migrations", migrations];
        var audit = Migrator(builder, fkdb, "audit", ["audit", "--output", Path.Combine(artifacts, "audit_now.json"), .. common]);
        (string Name, string Display, string Description, string[] Arguments)[] steps =
        [
            ("rollback-026", "Roll back 026", "The migrator's down --to 025: the array triggers go", ["down", "--to", "025", .. common]),
            ("rollback-025", "Roll back 025", "The migrator's down --to 024: the FKs go, every quarantined row and value comes back", ["down", "--to", "024", .. common]),
            ("reapply", "Re-apply 025 and 026", "The migrator's up: cleanup, FKs, triggers again", ["up", .. common]),
        ];
        foreach (var step in steps)
        {
            var resource = Migrator(builder, fkdb, step.Name, step.Arguments);
            fkdb.WithCommand(step.Name, step.Display, context => RunAsync(context, [resource.Resource.Name, audit.Resource.Name]),
                new CommandOptions { Description = step.Description + "; then the audit refreshes audit_now.json.", IconName = "ArrowUndo" });
        }

        return fkdb.WithCommand("audit", "Re-run the audit", context => RunAsync(context, [audit.Resource.Name]),
            new CommandOptions { Description = "024, read-only: orphans, FKs, index coverage, into audit_now.json in the artifacts folder.", IconName = "DocumentSearch" });
    }

    private static IResourceBuilder<ProjectResource> Migrator(IDistributedApplicationBuilder builder, IResourceBuilder<IResourceWithConnectionString> fkdb, string name, string[] arguments) =>
        builder.AddProject<Projects.FkHarness_Migrator>($"migrator-{name}")
            .WithArgs(arguments)
            .WithReference(fkdb)
            .WithExplicitStart()
            .ExcludeFromManifest();

    /// <summary>Starts each resource in turn and waits for it to finish; the first non-zero exit fails the command.</summary>
    private static async Task<ExecuteCommandResult> RunAsync(ExecuteCommandContext context, string[] resources)
    {
        var commands = context.Services.GetRequiredService<ResourceCommandService>();
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(30));
        foreach (var resource in resources)
        {
            var started = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, limit.Token);
            if (!started.Success)
            {
                return CommandResults.Failure($"{resource} did not start: {started.Message}");
            }

            var ended = await notifications.WaitForResourceAsync(resource, e => Ended.Contains(e.Snapshot.State?.Text), limit.Token);
            if (ended.Snapshot.ExitCode is not ExitCodes.Succeeded)
            {
                return CommandResults.Failure($"{resource} exited with code {ended.Snapshot.ExitCode}: see its log.");
            }
        }

        return CommandResults.Success();
    }
}
