namespace FkHarness.Seeder;

/// <summary>What to seed and where. <see cref="Validate"/> before use; the CLI maps its options here.</summary>
public sealed record SeedOptions
{
    public const double MaximumScale = 1000;
    public const double MaximumOrphanRate = 0.5;
    public const double DefaultOrphanRate = 0.02;

    public required string ConnectionString { get; init; }

    /// <summary>1 = 1,000 user accounts and ~104,000 rows in all; every table grows linearly.</summary>
    public double Scale { get; init; } = 1;

    public int Seed { get; init; } = 1;

    /// <summary>The fraction of rows per catalog relationship that get a planted value (see <see cref="Manifest.OrphanKind"/>).</summary>
    public double OrphanRate { get; init; } = DefaultOrphanRate;

    /// <summary>Seed a database the baseline did not mark, or one that already holds data (which is replaced).</summary>
    public bool Force { get; init; }

    /// <summary>Where to write the manifest; written before the load commits, moved into place after.</summary>
    public string? ManifestPath { get; init; }

    /// <summary>Generate on a task of its own, overlapped with COPY (the benchmark turns it off to compare).</summary>
    internal bool OverlapGeneration { get; init; } = true;

    /// <summary>Everything wrong with these options, as messages a user can act on; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("No connection string: pass --connection-string or set ConnectionStrings__fkdb.");
        }

        if (!(Scale > 0 && Scale <= MaximumScale))
        {
            errors.Add($"--scale must be greater than 0 and at most {MaximumScale} (1 = 1,000 users, ~104,000 rows); got {Scale}.");
        }

        if (!(OrphanRate >= 0 && OrphanRate <= MaximumOrphanRate))
        {
            errors.Add($"--orphan-rate must be between 0 and {MaximumOrphanRate}; got {OrphanRate}.");
        }

        if (Seed < 0)
        {
            errors.Add($"--seed must be 0 or greater; got {Seed}.");
        }

        return errors;
    }
}
