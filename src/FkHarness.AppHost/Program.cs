using FkHarness.AppHost.Cli;
using FkHarness.AppHost.Postgres;
using FkHarness.AppHost.Running;
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

var fkdb = builder.AddFkdb(postgres);

builder.AddProject<Projects.FkHarness_Rehearsal>(RehearsalRun.ResourceName)
    .WithArgs([.. options.RehearsalArguments, .. postgres.RehearsalArguments()])
    .WithReference(fkdb)
    .WaitFor(fkdb);

using var app = builder.Build();
return await RehearsalRun.RunAsync(app, FkdbBuilderExtensions.ServerName, rehearsal.Keep, console);
