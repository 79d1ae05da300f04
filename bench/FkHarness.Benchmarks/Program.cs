using System.CommandLine;
using FkHarness.Provisioning;
using FkHarness.Benchmarks;
using FkHarness.Benchmarks.Commands;
using FkHarness.Catalog;
using Npgsql;

var scale = new Option<double>("--scale") { Description = "Seeder scale (10 ≈ 1.04 million rows).", DefaultValueFactory = _ => 10 };
var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
var connectionString = new Option<string?>("--connection-string")
{
    Description = "A server to benchmark on (databases bench_* are created and dropped); default: a throwaway cluster.",
};
var generationOnly = new Option<bool>("--generation-only") { Description = "Only time the generators (no database), per table." };
var root = new RootCommand("Seeding throughput: the seeder against a raw binary COPY of the same rows.") { scale, seed, connectionString, generationOnly };
root.SetAction(async (parsed, cancellationToken) =>
{
    if (parsed.GetValue(generationOnly))
    {
        var (rows, elapsed) = GenerationOnly.Run(new FkHarness.Seeder.SeedOptions { ConnectionString = "", Scale = parsed.GetValue(scale), Seed = parsed.GetValue(seed) });
        Console.WriteLine($"{rows:N0} rows in {elapsed.TotalSeconds:N2} s ({rows / elapsed.TotalSeconds:N0} rows/s)");
        return 0;
    }

    var given = FkdbConnectionString.Resolve(parsed.GetValue(connectionString));
    await using var cluster = given is null ? await ThrowawayCluster.StartAsync(new ThrowawayClusterOptions(), cancellationToken) : null;
    var databases = new BenchDatabases(name => cluster is not null
        ? cluster.ConnectionString(name)
        : new NpgsqlConnectionStringBuilder(given) { Database = name }.ConnectionString);
    await new SeedingBenchmark(databases, Console.Out).RunAsync(parsed.GetValue(scale), parsed.GetValue(seed), cancellationToken);
    return 0;
});
// Seeding throughput is the root command (no scenario name); the other scenarios are subcommands.
foreach (var scenario in ScenarioCommands.Create(args))
{
    root.Subcommands.Add(scenario);
}

return await root.Parse(args).InvokeAsync();
