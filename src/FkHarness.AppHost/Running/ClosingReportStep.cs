using System.Globalization;
using CliWrap;
using FkHarness.AppHost.Postgres;
using FkHarness.AppHost.Steps;
using FkHarness.Rehearsal.State;
using Microsoft.Extensions.DependencyInjection;
using OwnerProcess = FkHarness.Rehearsal.Commands.OwnerProcessWatch;

namespace FkHarness.AppHost.Running;

/// <summary>
/// Ctrl+C or SIGTERM between two steps (one ended, the next not started yet or stopped before its
/// first stage, or a step stopped once its stages were done): no step tore down or wrote the
/// report. The AppHost then runs the report step itself, the rehearsal's executable with
/// <c>--step report</c> against fkdb, before fkdb stops. It finds state/stop, so it records the
/// rehearsal cancelled before the first stage that did not run, then tears down and reports.
/// </summary>
internal static class ClosingReportStep
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <returns>Whether it ran (the steps had left the rehearsal open).</returns>
    public static async Task<bool> RunIfLeftOpenAsync(DistributedApplication app, RehearsalGraph graph)
    {
        var stateFile = new RehearsalStateFile(graph.Run.Directory);
        if (await LoadAsync(stateFile) is not { Teardown: null })
        {
            // No step ran (nothing was made), or one already closed the rehearsal.
            return false;
        }

        await Console.Error.WriteLineAsync($"fkharness: stopped between two steps: the {graph.Last} step tears down and writes the report.");
        using var limit = new CancellationTokenSource(Limit);
        var fkdb = app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<IResourceWithConnectionString>().Single(r => r.Name == FkdbBuilderExtensions.DatabaseName);
        var connectionString = await fkdb.GetConnectionStringAsync(limit.Token);
        var (executable, workingDirectory) = RehearsalExecutable.Locate();
        try
        {
            await CliWrap.Cli.Wrap(executable)
                .WithArguments(graph.ArgumentsFor(graph.Last))
                .WithWorkingDirectory(workingDirectory)
                .WithEnvironmentVariables(environment => environment
                    .Set($"ConnectionStrings__{FkdbBuilderExtensions.DatabaseName}", connectionString)
                    .Set(OwnerProcess.EnvironmentVariable, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)))
                .WithStandardOutputPipe(PipeTarget.ToDelegate(Console.WriteLine))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(Console.Error.WriteLine))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"fkharness: the {graph.Last} step did not end within {Limit.TotalMinutes:0} minutes; it was stopped.");
        }

        return true;
    }

    private static async Task<RehearsalState?> LoadAsync(RehearsalStateFile stateFile)
    {
        try
        {
            return await stateFile.LoadAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            // The report step could not read it either.
            await Console.Error.WriteLineAsync($"fkharness: {stateFile.Path} could not be read ({e.Message}): no report.");
            return null;
        }
    }
}
