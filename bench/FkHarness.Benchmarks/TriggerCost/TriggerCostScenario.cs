using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Benchmarks.Reporting;

namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>
/// Scenario 3: what 026's array checks add to inserts, per referenced id, against what a native
/// FK adds per row, measured in the same run; and what the referenced-side guard adds to deletes.
/// </summary>
internal sealed class TriggerCostScenario(TriggerCostOptions options, TextWriter progress)
{
    public const string Key = "triggers-026";
    private const string Database = "trigger_cost";

    public async Task<ScenarioReport> RunAsync(string command, CancellationToken cancellationToken)
    {
        var loadBefore = MachineInfo.LoadAverage();
        var instructions = options.Instructions || options.InstructionsOnly ? await InstructionsAsync(cancellationToken) : null;
        if (options.InstructionsOnly)
        {
            return new TriggerCostReport(options, [], new Dictionary<GuardVariant, List<Measurement>>(), null, instructions)
                .Build(command, MachineInfo.Capture(await ServerVersionAsync(cancellationToken), loadBefore));
        }

        progress.WriteLine("Starting a throwaway cluster…");
        await using var server = await BenchServer.StartAsync(cancellationToken);
        progress.WriteLine($"Building the database: baseline, {options.Users:N0} users, 026 applied with psql -f…");
        await TriggerCostDatabase.BuildAsync(server, Database, options, cancellationToken);
        await using var sessions = await BenchSessions.OpenAsync(server.ConnectionString(Database), options.Clients, cancellationToken);
        var workload = new InsertWorkload(sessions, options);

        var shapes = options.ArraySizes.Select(InsertShape.Array).Append(InsertShape.Native).ToList();
        var methods = Enum.GetValues<InsertMethod>();
        var data = new Dictionary<(InsertMethod, InsertShape), InsertRows>();
        foreach (var method in methods)
        {
            foreach (var shape in shapes)
            {
                var rows = method == InsertMethod.SingleRow ? options.SingleRows : options.BulkRows;
                data[(method, shape)] = InsertRows.Generate(rows, shape.IdsPerRow, options.Users, seed: shape.IdsPerRow);
            }
        }

        progress.WriteLine("Warming up every cell once at a tenth of the rows (JIT, plan caches, PL/pgSQL compilation)…");
        foreach (var (method, shape) in data.Keys)
        {
            var rows = InsertRows.Generate(Math.Max(options.RowsPerInsert, data[(method, shape)].Count / 10), shape.IdsPerRow, options.Users, seed: 99);
            foreach (var on in new[] { true, false })
            {
                await OneAsync(sessions, workload, method, shape, on, rows, cancellationToken);
            }
        }

        var with = data.Keys.ToDictionary(k => k, _ => new List<Measurement>());
        var without = data.Keys.ToDictionary(k => k, _ => new List<Measurement>());
        for (var repetition = 1; repetition <= options.Repetitions; repetition++)
        {
            foreach (var (method, shape) in data.Keys)
            {
                progress.WriteLine($"Repetition {repetition}/{options.Repetitions}: {method}, {shape.Name}…");
                // Alternate which goes first, so drift in the machine's load favours neither.
                foreach (var on in repetition % 2 == 1 ? new[] { true, false } : [false, true])
                {
                    var measured = await OneAsync(sessions, workload, method, shape, on, data[(method, shape)], cancellationToken);
                    (on ? with : without)[(method, shape)].Add(measured);
                }
            }
        }

        var cells = data.Keys.Select(k => new CellResult(k.Item1, k.Item2, data[k].Count, with[k], without[k])).ToList();

        progress.WriteLine($"Referenced side: deleting {options.GuardDeletes:N0} unreferenced users, with and without the guard…");
        var guard = new GuardBenchmark(sessions, options);
        await guard.FillAsync(cancellationToken);
        var deletes = Enum.GetValues<GuardVariant>().ToDictionary(v => v, _ => new List<Measurement>());
        foreach (var variant in Enum.GetValues<GuardVariant>())
        {
            await guard.DeleteAsync(variant, cancellationToken); // warm-up
        }

        for (var repetition = 1; repetition <= Math.Max(5, options.Repetitions); repetition++)
        {
            foreach (var variant in Enum.GetValues<GuardVariant>())
            {
                deletes[variant].Add(await guard.DeleteAsync(variant, cancellationToken));
            }
        }

        var evidence = await guard.EvidenceAsync(cancellationToken);
        return new TriggerCostReport(options, cells, deletes, evidence, instructions).Build(command, MachineInfo.Capture(server.Version, loadBefore));
    }

    /// <summary>The instruction counts (callgrind), or null when valgrind is not installed.</summary>
    private async Task<IReadOnlyList<Instructions.InstructionCount>?> InstructionsAsync(CancellationToken cancellationToken)
    {
        if (!Instructions.CallgrindCluster.Available())
        {
            progress.WriteLine("valgrind is not installed: no instruction counts (apt-get install valgrind).");
            return null;
        }

        progress.WriteLine("Counting instructions: a cluster of its own, single-user backends under callgrind…");
        var binaries = FkHarness.Provisioning.PostgresBinaries.Locate();
        await using var cluster = await Instructions.CallgrindCluster.CreateAsync(binaries, cancellationToken);
        var bench = new Instructions.InstructionBench(cluster, options.Users);
        await bench.BuildAsync(binaries, cancellationToken);
        return await bench.MeasureAsync(progress, cancellationToken);
    }

    private static async Task<string> ServerVersionAsync(CancellationToken cancellationToken)
    {
        var output = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(
            CliWrap.Cli.Wrap(FkHarness.Provisioning.PostgresBinaries.Locate().Postgres).WithArguments(["--version"]), cancellationToken);
        // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)": the word after "(PostgreSQL)".
        var words = output.StandardOutput.Trim().Split(' ');
        return words[Array.IndexOf(words, "(PostgreSQL)") + 1];
    }

    private static async Task<Measurement> OneAsync(BenchSessions sessions, InsertWorkload workload, InsertMethod method, InsertShape shape, bool on, InsertRows rows, CancellationToken cancellationToken)
    {
        await sessions.ExecuteAsync($"TRUNCATE {shape.Table}; {shape.Switch(on)}", cancellationToken);
        return await workload.RunAsync(method, shape, rows, cancellationToken);
    }
}
