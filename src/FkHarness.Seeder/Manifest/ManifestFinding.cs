using System.Text.Json.Serialization;
using FkHarness.Catalog;

namespace FkHarness.Seeder.Manifest;

/// <summary>The rows planted in one catalog relationship.</summary>
public sealed record ManifestFinding
{
    public required int FindingId { get; init; }
    public required string SourceTable { get; init; }
    public required string SourceColumn { get; init; }
    public required ForeignKeyKind Kind { get; init; }

    /// <summary>Every planted row, legal ones included, ordered by id.</summary>
    public required IReadOnlyList<PlantedOrphan> Planted { get; init; }

    /// <summary>How many planted rows are orphans: what 024 must count for this relationship.</summary>
    public int OrphanCount => Planted.Count(p => p.IsOrphan);

    [JsonIgnore]
    public IEnumerable<PlantedOrphan> Orphans => Planted.Where(p => p.IsOrphan);

    [JsonIgnore]
    public string Relationship => $"{SourceTable}.{SourceColumn}";
}
