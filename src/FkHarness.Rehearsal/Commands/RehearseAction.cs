using FkHarness.Migrator.Scripts;
using FkHarness.Rehearsal.Afterwards;
using FkHarness.Rehearsal.Hosting;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Preflight;
using FkHarness.Rehearsal.Progress;
using FkHarness.Rehearsal.Traffic;
using FkHarness.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace FkHarness.Rehearsal.Commands;

/// <summary>
/// <c>fkharness rehearse</c>: checks the input, creates the artifacts folder, builds the host and
/// runs the pipeline; maps how it ended to an exit code. Never lets an exception out as a stack trace.
/// </summary>
internal static class RehearseAction
{
    public static async Task<int> RunAsync(RehearsalOptions options, CancellationToken cancellationToken)
    {
        try
        {
            if (options.Step is { Name: TrafficStep.Name } trafficStep)
            {
                return await TrafficStep.RunAsync(options, trafficStep, cancellationToken);
            }

            if (options.Step is { } command && DatabaseCommand.Find(MigrationSet.Load(options.MigrationsDirectory), command.Name) is { } databaseCommand)
            {
                return await DatabaseCommandAction.RunAsync(options, command, databaseCommand, cancellationToken);
            }

            if (options.Step is { } step)
            {
                // The AppHost checked the input before it declared the steps.
                return await StepAction.RunAsync(options, step, cancellationToken);
            }

            var problems = await RehearsalPreflight.CheckAsync(options, cancellationToken);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync($"fkharness: {problem}");
                }

                return ExitCodes.InvalidInput;
            }

            RehearsalArtifacts artifacts;
            try
            {
                artifacts = RehearsalArtifacts.Create(options.ArtifactsDirectory, DateTimeOffset.UtcNow);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"fkharness: cannot create the artifacts folder {options.ArtifactsDirectory}: {e.Message}");
                return ExitCodes.InvalidInput;
            }

            return await RehearseAsync(options, artifacts, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("fkharness: cancelled before the rehearsal started; nothing was created.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var message = SecretRedactor.Redact(e.Message);
            await Console.Error.WriteLineAsync($"fkharness: the rehearsal failed unexpectedly ({e.GetType().Name}): {message}");
            return ExitCodes.Failed;
        }
    }

    private static async Task<int> RehearseAsync(RehearsalOptions options, RehearsalArtifacts artifacts, CancellationToken cancellationToken)
    {
        using var host = RehearsalHost.Build(options, artifacts, IsInteractive());
        var services = host.Services;
        var context = new RehearsalContext(options, artifacts, services.GetRequiredService<ForeignKeyCatalog>());
        var console = services.GetRequiredService<IRehearsalConsole>();
        var pipeline = services.GetRequiredService<RehearsalPipeline>();
        Console.WriteLine(Introduction(options, artifacts, "stages", pipeline.StageNames));
        using var trace = RehearsalTelemetry.Source.StartActivity("rehearsal");
        trace?.SetTag("fkharness.run_id", artifacts.RunId);
        await console.RunAsync(() => pipeline.RunAsync(context, cancellationToken));
        console.Summary(context);
        return ExitCodes.For(context.Stages);
    }

    /// <param name="options">The rehearsal's options.</param>
    /// <param name="artifacts">Its folder.</param>
    /// <param name="what">"stages" in-process, "steps" under the AppHost.</param>
    /// <param name="names">The stage or step names, in order.</param>
    public static string Introduction(RehearsalOptions options, RehearsalArtifacts artifacts, string what, IEnumerable<string> names)
    {
        var where = options switch
        {
            { UseGivenDatabase: true, ConnectionString: { } given } => $"the AppHost's database fkdb ({FkdbConnectionString.Describe(given)})",
            { ConnectionString: { } existing } => $"an existing server ({FkdbConnectionString.Describe(existing)})",
            _ => "a throwaway cluster",
        };
        var data = options.FromDump is { } dump
            ? $"restored from {Path.GetFileName(dump)}"
            : $"seeded at scale {options.Scale}, seed {options.Seed}, orphan rate {options.OrphanRate}";
        return $"fkharness: rehearsal {artifacts.RunId} on {where}, data {data}" + Environment.NewLine +
               $"fkharness: {what}: {string.Join(" → ", names)}" + Environment.NewLine +
               $"fkharness: artifacts in {artifacts.Directory}";
    }

    /// <summary>A live display only on a real terminal: not when output is redirected, not in CI.</summary>
    private static bool IsInteractive()
    {
        var ci = Environment.GetEnvironmentVariable("CI");
        var inCi = !string.IsNullOrEmpty(ci) && !ci.Equals("false", StringComparison.OrdinalIgnoreCase) && ci != "0";
        return !inCi && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    }
}
