using System.Diagnostics;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Benchmarks.Reporting;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// Scenario 2: 025 under live traffic, against the plan's literal one-transaction approach on
/// identical copies of the same staging-sized database, with the same writers, in the same run.
/// </summary>
internal sealed class LiveMigrationScenario(LiveMigrationOptions options, TextWriter progress)
{
    public const string Key = "live-025";
    private const string Source = "live_source";

    private static readonly MigrationVariant[] Variants =
        [MigrationVariant.Migration025, MigrationVariant.LiteralAsWritten, MigrationVariant.LiteralLocked];

    public async Task<ScenarioReport> RunAsync(string command, CancellationToken cancellationToken)
    {
        var loadBefore = MachineInfo.LoadAverage();
        progress.WriteLine("Starting a throwaway cluster…");
        await using var server = await BenchServer.StartAsync(cancellationToken, LockWaitLog.Settings);

        progress.WriteLine($"Generating {options.Rows:N0} rows across the nine TEXT-FK tables, {options.Users:N0} users (set-based SQL)…");
        var build = Stopwatch.StartNew();
        await server.CreateDatabaseAsync(Source, cancellationToken);
        await LiveData.BuildAsync(server, Source, options, progress, cancellationToken);
        progress.WriteLine($"  built in {build.Elapsed.TotalSeconds:0.0} s");

        var runs = new List<VariantRun>();
        for (var repetition = 1; repetition <= options.Repetitions; repetition++)
        {
            // Rotate the order, so no variant always runs first (cold caches) or last.
            var shift = (repetition - 1) % Variants.Length;
            foreach (var variant in Variants.Skip(shift).Concat(Variants.Take(shift)))
            {
                var database = $"live_{variant.ToString().ToLowerInvariant()}_{repetition}";
                await server.CloneAsync(Source, database, cancellationToken);
                progress.WriteLine($"Repetition {repetition}/{options.Repetitions}: {Describe(variant)} under {options.Writers} writers…");
                var run = await new LiveRun(options, server.LogPath).RunAsync(variant, repetition, server.ConnectionString(database), cancellationToken);
                progress.WriteLine($"  {(run.Attempt.Succeeded ? "done" : "FAILED: " + run.Attempt.Error)} in {run.Attempt.Elapsed.TotalSeconds:0.00} s; longest write stall {run.LongestStall:0} ms; p99 {run.P99Before:0.0} → {run.P99During:0.0} ms; 23503 × {run.ForeignKeyViolations}; other errors {run.OtherErrors}");
                runs.Add(run);
                await server.DropDatabaseAsync(database, cancellationToken);
            }
        }

        return new LiveMigrationReport(options, runs).Build(command, MachineInfo.Capture(server.Version, loadBefore));
    }

    public static string Describe(MigrationVariant variant) => variant switch
    {
        MigrationVariant.Migration025 => "025 (migrator)",
        MigrationVariant.LiteralAsWritten => "plan, literal, as written",
        _ => "plan, literal, tables locked first",
    };
}
