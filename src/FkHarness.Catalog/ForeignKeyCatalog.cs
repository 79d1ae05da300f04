using System.Text.Json;
using System.Text.Json.Serialization;

namespace FkHarness.Catalog;

/// <summary>
/// The plan's fifteen findings, loaded from FK_AUDIT_REPORT.json: the one source of truth that
/// the seeder, the audit, the tests and the report iterate over.
/// </summary>
public sealed class ForeignKeyCatalog
{
    public const string FileName = "FK_AUDIT_REPORT.json";

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    private ForeignKeyCatalog(IReadOnlyList<ForeignKeyFinding> findings) => Findings = findings;

    public IReadOnlyList<ForeignKeyFinding> Findings { get; }

    public IEnumerable<ForeignKeyFinding> TextForeignKeys => Findings.Where(f => f.IsTextForeignKey);

    public IEnumerable<ForeignKeyFinding> ArrayForeignKeys => Findings.Where(f => f.IsArrayForeignKey);

    public IEnumerable<ForeignKeyFinding> ExternalIds => Findings.Where(f => f.Kind == ForeignKeyKind.ExternalId);

    /// <summary>The catalog shipped inside this assembly.</summary>
    public static ForeignKeyCatalog LoadEmbedded()
    {
        using var stream = typeof(ForeignKeyCatalog).Assembly.GetManifestResourceStream(FileName)
            ?? throw new InvalidOperationException($"{FileName} is not embedded in {typeof(ForeignKeyCatalog).Assembly.GetName().Name}.");
        return Parse(stream, FileName);
    }

    public static ForeignKeyCatalog LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream, path);
    }

    private static ForeignKeyCatalog Parse(Stream json, string origin)
    {
        var document = JsonSerializer.Deserialize<CatalogDocument>(json, JsonOptions)
            ?? throw new InvalidDataException($"{origin} is empty.");
        if (document.Findings is not { Count: > 0 })
        {
            throw new InvalidDataException($"{origin} holds no findings.");
        }

        return new ForeignKeyCatalog(document.Findings);
    }

    private sealed record CatalogDocument(IReadOnlyList<ForeignKeyFinding>? Findings);
}
