using FkHarness.Catalog;
using FkHarness.Migrator.Audit;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>One relationship as every report shows it: the finding, its counts before and after, and what the fix did.</summary>
internal sealed record RelationshipRow(
    ForeignKeyFinding Finding,
    RelationshipAudit? Before,
    RelationshipAudit? After,
    long Deleted,
    long Nulled,
    IReadOnlyDictionary<string, long> ByReason)
{
    /// <summary>"deleted 12", "set NULL 40", "left; 026 guards writes", "none (external id)".</summary>
    public string Action => Finding.Kind switch
    {
        ForeignKeyKind.TextFkRequired => After is null && Deleted == 0 ? "delete (not run)" : $"deleted {Deleted:N0}",
        ForeignKeyKind.TextFkNullable => After is null && Nulled == 0 ? "set NULL (not run)" : $"set NULL {Nulled:N0}",
        ForeignKeyKind.ArrayFk => "left; 026 guards writes",
        _ => "none (external id)",
    };

    public string KindLabel => Finding.Kind switch
    {
        ForeignKeyKind.TextFkRequired => "TEXT FK, required",
        ForeignKeyKind.TextFkNullable => "TEXT FK, nullable",
        ForeignKeyKind.ArrayFk => "BIGINT[] array FK",
        _ => "external id",
    };

    public static IReadOnlyList<RelationshipRow> For(Pipeline.RehearsalContext context) =>
        [.. context.Catalog.Findings.Select(f =>
        {
            var groups = context.Quarantine.Where(q => q.Table == f.SourceTable && q.Column == f.SourceColumn).ToList();
            return new RelationshipRow(
                f,
                context.AuditBefore?.Relationships.FirstOrDefault(r => r.FindingId == f.Id),
                context.AuditAfter?.Relationships.FirstOrDefault(r => r.FindingId == f.Id),
                groups.Where(g => g.Action == "delete").Sum(g => g.Rows),
                groups.Where(g => g.Action == "set_null").Sum(g => g.Rows),
                groups.GroupBy(g => g.ReasonCode).ToDictionary(g => g.Key, g => g.Sum(x => x.Rows)));
        })];
}
