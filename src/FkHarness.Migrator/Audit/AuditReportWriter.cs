using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FkHarness.Catalog;

namespace FkHarness.Migrator.Audit;

/// <summary>
/// Writes FK_AUDIT_REPORT.json: the catalog's findings, each with what 024 measured added under
/// <c>audit</c>, plus the FK constraints and index coverage found. The file keeps the catalog's
/// shape, so <see cref="ForeignKeyCatalog.LoadFile"/> still reads it.
/// </summary>
public static class AuditReportWriter
{
    // The report is read (and grepped) by people: keep '→' and quotes as they are instead of \uXXXX.
    private static readonly JsonSerializerOptions ReadableJson = new(ForeignKeyCatalog.JsonOptions)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(AuditResult audit, ForeignKeyCatalog catalog, string path, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, Build(audit, catalog), ReadableJson, cancellationToken);
    }

    public static JsonObject Build(AuditResult audit, ForeignKeyCatalog catalog)
    {
        var options = ForeignKeyCatalog.JsonOptions;
        var findings = new JsonArray();
        foreach (var finding in catalog.Findings)
        {
            var node = JsonSerializer.SerializeToNode(finding, options)!.AsObject();
            var measured = audit.Relationships.FirstOrDefault(r => r.FindingId == finding.Id);
            node["audit"] = measured is null ? null : JsonSerializer.SerializeToNode(measured, options);
            findings.Add(node);
        }

        return new JsonObject
        {
            ["$comment"] = "FK_AUDIT_REPORT.json written by the migrator's audit command: the plan's findings with what 024 measured on this database under \"audit\".",
            ["plan"] = "fk-migration-fix-plan.md",
            ["schema_version"] = 1,
            ["generated_at"] = audit.RanAt ?? DateTimeOffset.UtcNow,
            ["database"] = audit.Database,
            ["total_orphans"] = audit.TotalOrphans,
            ["findings"] = findings,
            ["constraints"] = JsonSerializer.SerializeToNode(audit.Constraints, options),
            ["index_coverage"] = JsonSerializer.SerializeToNode(audit.IndexCoverage, options),
        };
    }
}
