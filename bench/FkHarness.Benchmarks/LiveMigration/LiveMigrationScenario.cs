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
    private const string WarmUpSource = "live_warmup_source";

    private static readonly MigrationVariant[] Variants =
        [MigrationVariant.Migration025, MigrationVariant.LiteralAsWritten, MigrationVariant.LiteralLocked];

    public async Task<ScenarioReport> RunAsync(string command, CancellationToken cancellationToken)
    {
        var loadBefore = MachineInfo.LoadAverage();
        progress.WriteLine("Starting a throwaway cluster…");
        await using var server = await BenchServer.StartAsync(cancellationToken, LockWaitLog.Settings.Concat(SlowWriteLog.Settings).ToDictionary());

        progress.WriteLine($"Generating {options.Rows:N0} rows across the nine TEXT-FK tables, {options.Users:N0} users (set-based SQL)…");
        var build = Stopwatch.StartNew();
        await server.CreateDatabaseAsync(Source, cancellationToken);
        await LiveData.BuildAsync(server, Source, options, progress, cancellationToken);
        progress.WriteLine($"  built in {build.Elapsed.TotalSeconds:0.0} s");

        await WarmUpAsync(server, cancellationToken);

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

    /// <summary>
    /// Each variant once on a small copy, not measured: the migrator, the writers and the profiler
    /// run in this process, and their first use (JIT compilation, DbUp's and Npgsql's first
    /// paths) takes the CPU the server's backends need on a 2-core machine. Measured without it:
    /// 025's first repetition had the longest write stall of the run (26 ms against 4–11 ms for
    /// the others, load average 0.5), its backend runnable but waiting for a CPU all that time.
    /// </summary>
    private async Task WarmUpAsync(BenchServer server, CancellationToken cancellationToken)
    {
        progress.WriteLine("Warm-up, not measured: each variant once on a small copy…");
        var small = options with { Scale = 0.01, Before = TimeSpan.FromSeconds(1) };
        await server.CreateDatabaseAsync(WarmUpSource, cancellationToken);
        await LiveData.BuildAsync(server, WarmUpSource, small, TextWriter.Null, cancellationToken);
        foreach (var variant in Variants)
        {
            var database = $"live_warmup_{variant.ToString().ToLowerInvariant()}";
            await server.CloneAsync(WarmUpSource, database, cancellationToken);
            await new LiveRun(small, server.LogPath).RunAsync(variant, 0, server.ConnectionString(database), cancellationToken);
            await server.DropDatabaseAsync(database, cancellationToken);
        }

        await server.DropDatabaseAsync(WarmUpSource, cancellationToken);
    }

    public static string Describe(MigrationVariant variant) => variant switch
    {
        MigrationVariant.Migration025 => "025 (migrator)",
        MigrationVariant.LiteralAsWritten => "plan, literal, as written",
        _ => "plan, literal, tables locked first",
    };
}
