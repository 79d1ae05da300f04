using System.CommandLine;
using FkHarness.Catalog;

namespace FkHarness.Seeder.Cli;

/// <summary>The seeder's options, parsed into <see cref="SeedOptions"/>; bad input is exit code 2.</summary>
internal static class SeederCommandLine
{
    private static readonly Option<string?> ConnectionString = new("--connection-string")
    {
        Description = $"Npgsql connection string of the database to seed (default: the {FkdbConnectionString.EnvironmentVariable} environment variable).",
    };

    private static readonly Option<double> Scale = new("--scale")
    {
        Description = "Size: 1 = 1,000 user accounts and ~104,000 rows; linear (10 ≈ 1.04 million rows). > 0 and ≤ 1000.",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<int> Seed = new("--seed")
    {
        Description = "Random seed: the same seed (and scale and rate) gives byte-identical tables.",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<double> OrphanRate = new("--orphan-rate")
    {
        Description = $"Fraction of rows per catalog relationship that get a planted orphan or edge case, 0 to {SeedOptions.MaximumOrphanRate}.",
        DefaultValueFactory = _ => SeedOptions.DefaultOrphanRate,
    };

    private static readonly Option<string?> ManifestPath = new("--manifest")
    {
        Description = "Write the orphan manifest (JSON: every planted row and what 025 must do to it) to this file.",
    };

    private static readonly Option<bool> Force = new("--force")
    {
        Description = "Seed a database without the baseline's rehearsal marker, or one that holds data (its rows are replaced).",
    };

    public static RootCommand Build(Func<SeedOptions, CancellationToken, Task<int>> seed)
    {
        var root = new RootCommand("Fills a rehearsal database (made by the migrator's `baseline`) with realistic data and deliberate FK orphans, and writes the orphan manifest.")
        {
            ConnectionString, Scale, Seed, OrphanRate, ManifestPath, Force,
        };
        root.SetAction((parsed, cancellationToken) => seed(ToOptions(parsed), cancellationToken));
        return root;
    }

    private static SeedOptions ToOptions(ParseResult parsed) => new()
    {
        ConnectionString = FkdbConnectionString.Resolve(parsed.GetValue(ConnectionString)) ?? "",
        Scale = parsed.GetValue(Scale),
        Seed = parsed.GetValue(Seed),
        OrphanRate = parsed.GetValue(OrphanRate),
        ManifestPath = parsed.GetValue(ManifestPath),
        Force = parsed.GetValue(Force),
    };
}
