using FkHarness.AppHost.Cli;
using FkHarness.AppHost.Commands;
using FkHarness.AppHost.Postgres;
using FkHarness.AppHost.Running;
using FkHarness.AppHost.Steps;
using FkHarness.Migrator.Scripts;
using FkHarness.Rehearsal.Commands;

// Bad input is refused here, before anything starts (the rehearsal's own parser and checks).
var (rehearsal, options, exitCode) = await AppHostCommandLine.ParseAsync(args, CancellationToken.None);
if (rehearsal is null || options is null)
{
    return exitCode;
}

var (postgres, problem) = await PostgresChoice.MakeAsync(rehearsal, options, CancellationToken.None);
if (postgres is null)
{
    await Console.Error.WriteLineAsync($"fkharness: {problem}");
    return ExitCodes.InvalidInput;
}

Console.WriteLine(postgres.Describe());
var console = RunConsole.For(options);
var builder = DistributedApplication.CreateBuilder(console.ApplicationOptions());
console.Configure(builder.Configuration);
builder.Services.AddQuietAspireLogging();
builder.ExportTelemetryOnlyToTheDashboard(console.Dashboard);

var fkdb = builder.AddFkdb(postgres);

// The rehearsal, one resource per step of its plan, each starting when the one before it ended with 0:
// baseline (or restore-dump) → seed → audit → backup → snapshot → migrate-NNN… → verify → rollback-NNN… → rollback-proof → report.
var graph = RehearsalGraph.Plan(rehearsal, options, postgres, console.Dashboard);
if (postgres.Kind != PostgresKind.Existing)
{
    // Once it ended: roll back, re-apply, re-run the audit, each a step of the rehearsal that rewrites its report.
    fkdb.WithDatabaseCommands(graph, MigrationSet.Load(rehearsal.MigrationsDirectory));
}
// With --traffic, the writers are a resource beside them: started when the step before the first
// migration ended, the first migration waiting for their before-window, verify for their end
// (their check done and their rows removed; the last migrate step tells them to stop).
IResourceBuilder<ExecutableResource>? previous = null;
IResourceBuilder<ExecutableResource>? traffic = null;
foreach (var step in graph.Steps)
{
    var resource = builder.AddRehearsalStep(step, fkdb, graph);
    resource = previous is null ? resource.WaitFor(fkdb) : resource.WaitForCompletion(previous);
    if (rehearsal.Traffic is not null && traffic is null && previous is not null && step.StartsWith("migrate-", StringComparison.Ordinal))
    {
        traffic = builder.AddTrafficStep(fkdb, graph).WaitForCompletion(previous);
        resource.WaitFor(traffic, WaitBehavior.StopOnResourceUnavailable);
    }
    else if (traffic is not null && step == "verify")
    {
        resource.WaitForCompletion(traffic);
    }

    previous = resource;
}

var app = builder.Build();
return await RehearsalRun.RunAsync(app, FkdbBuilderExtensions.ServerName, graph, rehearsal.Keep, console);
