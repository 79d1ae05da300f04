using System.Diagnostics;
using System.Globalization;
using FkHarness.Catalog;
using FkHarness.Seeder;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Tables;

namespace FkHarness.Benchmarks;

/// <summary>
/// Seeds ~1M rows and, in the same run, copies the same rows raw: the seeder's rate against the
/// server's. Prints a Markdown table to paste into docs/benchmarks.md.
/// </summary>
internal sealed class SeedingBenchmark(BenchDatabases databases, TextWriter output)
{
    public async Task RunAsync(double scale, int seed, CancellationToken cancellationToken)
    {
        Line("Warming up (JIT, Bogus data sets) with a scale-0.05 seeding…");
        await SeedAsync("bench_warmup", new() { ConnectionString = "", Scale = 0.05, Seed = seed }, cancellationToken);
        var warmMegabytes = PeakMegabytes();
        var loadBefore = LoadAverage();

        var options = new SeedOptions { ConnectionString = "", Scale = scale, Seed = seed };
        Line($"Generation only (no database), scale {scale}…");
        var generationCpu = ClientCpu();
        var (generated, generationTime) = GenerationOnly.Run(options);
        generationCpu = ClientCpu() - generationCpu;

        // Each variant twice, interleaved, best of two: the first big load into a fresh cluster also
        // pays for creating WAL segments, which later runs recycle.
        Measured? overlapped = null, sequential = null;
        var raw = TimeSpan.MaxValue;
        var rawCpu = TimeSpan.Zero;
        var exported = (IReadOnlyList<(string Table, string Columns, byte[] Data)>)[];
        var peakMegabytes = 0.0;
        for (var round = 1; round <= 2; round++)
        {
            Line($"Round {round}: seeder, generation and COPY on one thread, scale {scale}…");
            sequential = Best(sequential, await SeedAsync("bench_sequential", options with { OverlapGeneration = false }, cancellationToken));

            Line($"Round {round}: seeder, generation on its own task, overlapped with COPY…");
            overlapped = Best(overlapped, await SeedAsync("bench_seeder", options, cancellationToken));
            if (round == 1)
            {
                peakMegabytes = PeakMegabytes(); // before the export below fills memory with the raw rows
            }

            Line($"Round {round}: raw binary COPY of the same rows, already rendered (exported from the seeded database)…");
            if (exported.Count == 0)
            {
                var tables = SeedTables.Create(new SeedContext(options, ForeignKeyCatalog.LoadEmbedded()))
                    .Select(t => (t.Name, string.Join(", ", t.Columns.Select(c => c.Name))));
                exported = await RawCopyCeiling.ExportAsync(databases.ConnectionStringFor("bench_seeder"), tables, cancellationToken);
            }

            var target = await databases.CreateBaselineAsync("bench_raw", cancellationToken);
            var cpu = ClientCpu();
            var once = await RawCopyCeiling.ImportAsync(target, exported, cancellationToken);
            if (once < raw)
            {
                (raw, rawCpu) = (once, ClientCpu() - cpu);
            }
        }

        var rows = overlapped!.Result.TotalRows;
        var copyPhase = Sum(overlapped.Result);
        var rawRate = rows / raw.TotalSeconds;
        output.WriteLine();
        output.WriteLine($"Scale {scale} (seed {seed}): {rows:N0} rows, {exported.Sum(e => e.Data.Length) / 1e6:N0} MB in binary COPY format; {Environment.ProcessorCount} cores.");
        output.WriteLine();
        output.WriteLine("| run | time | rows/s | vs raw COPY | client CPU |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        Row("raw binary COPY of pre-rendered rows (ceiling)", raw, rows, rawRate, rawCpu);
        Row("seeder, COPY phase (generation overlapped)", copyPhase, rows, rawRate, null);
        Row("seeder, end to end (checks, COPY, setval, ANALYZE, commit)", overlapped.Result.Elapsed, rows, rawRate, overlapped.ClientCpu);
        Row("seeder, COPY phase, generation on the COPY thread", Sum(sequential!.Result), rows, rawRate, null);
        Row("seeder, end to end, generation on the COPY thread", sequential.Result.Elapsed, rows, rawRate, sequential.ClientCpu);
        Row("generation only, no database", generationTime, generated, rawRate, generationCpu);
        output.WriteLine();
        output.WriteLine($"Best of two runs each. Load average (1 min) before / after: {loadBefore} / {LoadAverage()}.");
        output.WriteLine($"Peak working set of the process: {warmMegabytes:N0} MB after the scale-0.05 warm-up, {peakMegabytes:N0} MB after the generation-only pass and two seedings of {rows:N0} rows.");
    }

    private async Task<Measured> SeedAsync(string database, SeedOptions options, CancellationToken cancellationToken)
    {
        var connectionString = await databases.CreateBaselineAsync(database, cancellationToken);
        var cpu = ClientCpu();
        var outcome = await DatabaseSeeder.SeedAsync(options with { ConnectionString = connectionString }, cancellationToken: cancellationToken);
        cpu = ClientCpu() - cpu;
        return new Measured(outcome.Result ?? throw new InvalidOperationException($"Seeding {database} failed: {outcome.Message}"), cpu);
    }

    private static Measured Best(Measured? best, Measured candidate) =>
        best is null || Sum(candidate.Result) < Sum(best.Result) ? candidate : best;

    /// <summary>This process's CPU time (all threads, GC included): what the seeder costs the client.</summary>
    private static TimeSpan ClientCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static double PeakMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1e6;
    }

    // Shared machines make throughput noisy: say how busy this one was.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static TimeSpan Sum(SeedResult result) => result.Tables.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Elapsed);

    private void Row(string run, TimeSpan time, long rows, double rawRate, TimeSpan? clientCpu)
    {
        var rate = rows / time.TotalSeconds;
        var cpu = clientCpu is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c.TotalSeconds:N2} s") : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {run} | {time.TotalSeconds:N2} s | {rate:N0} | {rate / rawRate:P0} | {cpu} |"));
    }

    private sealed record Measured(SeedResult Result, TimeSpan ClientCpu);

    private static void Line(string message) => Console.Error.WriteLine(message);
}
