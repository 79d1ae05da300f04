using FkHarness.AppHost.Cli;
using FkHarness.AppHost.Postgres;
using FkHarness.Migrator.Scripts;
using FkHarness.Rehearsal;
using FkHarness.Rehearsal.Hosting;
using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.AppHost.Steps;

/// <summary>
/// The rehearsal as the AppHost declares it: one resource per step of the rehearsal's own plan
/// (read from the same options and migration set, so the names cannot drift), all sharing one run
/// folder and run id made here, each given the command line the rehearsal was given.
/// </summary>
/// <param name="Steps">The step resources' names, in order.</param>
/// <param name="Run">The run folder and id every step shares.</param>
/// <param name="Arguments">The rehearsal's command line, common to every step.</param>
/// <param name="ExportsTelemetry">Whether a dashboard receives the steps' traces; without one, a step must not wait at exit for an OTLP endpoint nobody serves.</param>
internal sealed record RehearsalGraph(IReadOnlyList<string> Steps, RehearsalArtifacts Run, IReadOnlyList<string> Arguments, bool ExportsTelemetry)
{
    /// <summary>The step whose end is the rehearsal's end: teardown and the report.</summary>
    public string Last => Steps[^1];

    public static RehearsalGraph Plan(RehearsalOptions rehearsal, AppHostOptions options, PostgresChoice postgres, bool dashboard)
    {
        var run = options.Run;
        var steps = RehearsalPlan.Steps(rehearsal, MigrationSet.Load(rehearsal.MigrationsDirectory)).Select(s => s.Name).ToList();
        return new RehearsalGraph(steps, run, [.. options.RehearsalArguments, .. postgres.RehearsalArguments(), "--run-folder", run.Directory, "--run-id", run.RunId], dashboard);
    }

    /// <summary>The command line of one step's process.</summary>
    public IReadOnlyList<string> ArgumentsFor(string step) => ["--step", step, .. Arguments];
}
