namespace FkHarness.Rehearsal.Postgres;

/// <summary>Whether 026 down + 025 down brought schema and data back exactly; what differs when not.</summary>
internal sealed record RollbackProof
{
    public required bool SchemaEqual { get; init; }
    public required bool DataEqual { get; init; }

    /// <summary>Up to 20 lines present in one schema dump and not the other, prefixed '-' (before) or '+' (after).</summary>
    public IReadOnlyList<string> SchemaDifferences { get; init; } = [];

    /// <summary>Tables whose row count or checksum differs (or that exist on one side only).</summary>
    public IReadOnlyList<string> TablesDiffering { get; init; } = [];

    public int TablesCompared { get; init; }

    public bool Holds => SchemaEqual && DataEqual;

    public static RollbackProof Compare(DatabaseSnapshot before, DatabaseSnapshot after)
    {
        var beforeLines = before.Schema.Split('\n');
        var afterLines = after.Schema.Split('\n');
        var differences = beforeLines.Except(afterLines).Select(l => "- " + l)
            .Concat(afterLines.Except(beforeLines).Select(l => "+ " + l))
            .Take(20)
            .ToList();
        var tables = before.Checksums.Keys.Union(after.Checksums.Keys).Order(StringComparer.Ordinal).ToList();
        var differing = tables
            .Where(t => !before.Checksums.TryGetValue(t, out var b) || !after.Checksums.TryGetValue(t, out var a) || a != b)
            .ToList();
        return new RollbackProof
        {
            SchemaEqual = before.Schema == after.Schema,
            DataEqual = differing.Count == 0,
            SchemaDifferences = differences,
            TablesDiffering = differing,
            TablesCompared = tables.Count,
        };
    }
}
