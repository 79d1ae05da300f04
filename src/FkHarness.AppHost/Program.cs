using System.Globalization;
using FkHarness.AppHost.Cli;
using FkHarness.AppHost.Commands;
using FkHarness.AppHost.Postgres;
using FkHarness.AppHost.Running;
using FkHarness.Rehearsal.Commands;
using OwnerProcess = FkHarness.Rehearsal.Commands.OwnerProcessWatch;

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
if (postgres.Kind != PostgresKind.Existing)
{
    fkdb.WithMigratorCommands(options.ArtifactsDirectory, rehearsal.MigrationsDirectory is { } migrations ? Path.GetFullPath(migrations) : null);
}

builder.AddProject<Projects.FkHarness_Rehearsal>(RehearsalRun.ResourceName)
    .WithArgs([.. options.RehearsalArguments, .. postgres.RehearsalArguments()])
    .WithReference(fkdb)
    .WithEnvironment(OwnerProcess.EnvironmentVariable, Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
    .WaitFor(fkdb);

var app = builder.Build();
return await RehearsalRun.RunAsync(app, FkdbBuilderExtensions.ServerName, rehearsal.Keep, console);
