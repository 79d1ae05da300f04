using System.Text.Json;
using FkHarness.Catalog;

namespace FkHarness.Seeder.Manifest;

/// <summary>
/// The ground truth of a seeded database: the options it was seeded with, how many rows each table
/// got, and per catalog finding exactly which rows carry which planted value and what the fix must
/// do to them. Written by <c>--manifest FILE</c>; tests and the rehearsal report compare 024's
/// counts and 025's quarantine with it.
/// </summary>
public sealed record OrphanManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required int Seed { get; init; }
    public required double Scale { get; init; }
    public required double OrphanRate { get; init; }

    /// <summary>Rows per table, in load order.</summary>
    public required IReadOnlyDictionary<string, long> RowCounts { get; init; }

    /// <summary>One entry per catalog finding, in catalog order.</summary>
    public required IReadOnlyList<ManifestFinding> Findings { get; init; }

    public long TotalRows => RowCounts.Values.Sum();

    public ManifestFinding For(int findingId) =>
        Findings.SingleOrDefault(f => f.FindingId == findingId)
        ?? throw new KeyNotFoundException($"The manifest has no finding {findingId}.");

    public ManifestFinding For(string sourceTable, string sourceColumn) =>
        Findings.SingleOrDefault(f => f.SourceTable == sourceTable && f.SourceColumn == sourceColumn)
        ?? throw new KeyNotFoundException($"The manifest has no finding for {sourceTable}.{sourceColumn}.");

    public static OrphanManifest Load(string path)
    {
        using var stream = File.OpenRead(path);
        var manifest = JsonSerializer.Deserialize<OrphanManifest>(stream, ForeignKeyCatalog.JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty.");
        return manifest.Format == CurrentFormat
            ? manifest
            : throw new InvalidDataException($"{path} has manifest format {manifest.Format}; this build reads format {CurrentFormat}.");
    }

    public string ToJson() => JsonSerializer.Serialize(this, ForeignKeyCatalog.JsonOptions);

    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, this, ForeignKeyCatalog.JsonOptions, cancellationToken);
    }
}
