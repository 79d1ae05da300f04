using FkHarness.Catalog;
using FkHarness.Seeder.Manifest;

namespace FkHarness.Seeder.Planting;

/// <summary>Collects planted rows per finding while tables are generated; memory grows with orphans only.</summary>
internal sealed class ManifestRecorder
{
    private readonly Dictionary<int, List<PlantedOrphan>> _planted = [];

    public void Record(ForeignKeyFinding finding, PlantedOrphan orphan)
    {
        if (!_planted.TryGetValue(finding.Id, out var rows))
        {
            _planted[finding.Id] = rows = [];
        }

        rows.Add(orphan);
    }

    public OrphanManifest Build(ForeignKeyCatalog catalog, SeedOptions options, IReadOnlyDictionary<string, long> rowCounts) => new()
    {
        Seed = options.Seed,
        Scale = options.Scale,
        OrphanRate = options.OrphanRate,
        RowCounts = rowCounts,
        Findings = [.. catalog.Findings.Select(finding => new ManifestFinding
        {
            FindingId = finding.Id,
            SourceTable = finding.SourceTable,
            SourceColumn = finding.SourceColumn,
            Kind = finding.Kind,
            Planted = _planted.TryGetValue(finding.Id, out var rows) ? [.. rows.OrderBy(r => r.Id)] : [],
        })],
    };
}
