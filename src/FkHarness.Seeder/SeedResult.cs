using FkHarness.Seeder.Manifest;

namespace FkHarness.Seeder;

/// <summary>A committed seeding: the manifest (ground truth), rows per table and how long it all took.</summary>
public sealed record SeedResult(OrphanManifest Manifest, IReadOnlyList<TableLoad> Tables, TimeSpan Elapsed)
{
    public IReadOnlyDictionary<string, long> RowCounts => Manifest.RowCounts;

    public long TotalRows => Tables.Sum(t => t.Rows);

    public double RowsPerSecond => TotalRows / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
