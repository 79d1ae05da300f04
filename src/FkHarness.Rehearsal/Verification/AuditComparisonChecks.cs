using FkHarness.Catalog;
using FkHarness.Migrator.Audit;

namespace FkHarness.Rehearsal.Verification;

/// <summary>
/// What 024 measured before and after the fix must differ by exactly what 025 promised: no TEXT
/// orphan left, only orphan rows deleted, only orphan values nulled, each one quarantined; array
/// columns and external ids untouched. Works on any data, a staging dump included.
/// </summary>
internal static class AuditComparisonChecks
{
    public static IReadOnlyList<VerificationCheck> Run(
        ForeignKeyCatalog catalog, AuditResult before, AuditResult after, IReadOnlyList<QuarantineGroup> quarantine)
    {
        var checks = new List<VerificationCheck>();
        foreach (var finding in catalog.Findings)
        {
            var b = before.Relationships.FirstOrDefault(r => r.FindingId == finding.Id);
            var a = after.Relationships.FirstOrDefault(r => r.FindingId == finding.Id);
            if (b is null || a is null)
            {
                checks.Add(VerificationCheck.Fail("orphans", $"{finding.Relationship} audited", "024 returned no row for this finding"));
                continue;
            }

            checks.AddRange(finding.Kind switch
            {
                ForeignKeyKind.TextFkRequired or ForeignKeyKind.TextFkNullable => TextForeignKey(finding, b, a, quarantine),
                ForeignKeyKind.ArrayFk => [Unchanged("orphans", finding, b, a, "array orphans left as they were (026 checks future writes only)", includeOrphans: true)],
                _ => [Unchanged("untouched", finding, b, a, "external id untouched", includeOrphans: false)],
            });
        }

        return checks;
    }

    private static IEnumerable<VerificationCheck> TextForeignKey(ForeignKeyFinding finding, RelationshipAudit before, RelationshipAudit after, IReadOnlyList<QuarantineGroup> quarantine)
    {
        var relationship = $"{finding.SourceTable}.{finding.SourceColumn}";
        yield return VerificationCheck.Expect(after.OrphanCount == 0, "orphans", $"no orphan left in {relationship}",
            $"{before.OrphanCount} before, {after.OrphanCount} after");

        var quarantined = quarantine.Where(q => q.Table == finding.SourceTable && q.Column == finding.SourceColumn && q.Action == finding.Cleanup).Sum(q => q.Rows);
        yield return VerificationCheck.Expect(quarantined == before.OrphanCount, "quarantine", $"every orphan of {relationship} quarantined ({finding.Cleanup})",
            $"{quarantined} quarantined, {before.OrphanCount} orphans audited before");

        if (finding.Kind == ForeignKeyKind.TextFkRequired)
        {
            yield return VerificationCheck.Expect(after.TotalRows == before.TotalRows - before.OrphanCount, "untouched", $"only orphan rows deleted from {finding.SourceTable}",
                $"{before.TotalRows} rows before, {after.TotalRows} after, {before.OrphanCount} orphans");
        }
        else
        {
            var nullsBefore = before.NullCount ?? 0;
            var nullsAfter = after.NullCount ?? 0;
            yield return VerificationCheck.Expect(after.TotalRows == before.TotalRows && nullsAfter == nullsBefore + before.OrphanCount, "untouched",
                $"only orphan values of {relationship} set to NULL, no row lost",
                $"rows {before.TotalRows} → {after.TotalRows}; NULLs {nullsBefore} → {nullsAfter} (+{before.OrphanCount} orphans)");
        }
    }

    private static VerificationCheck Unchanged(string category, ForeignKeyFinding finding, RelationshipAudit before, RelationshipAudit after, string what, bool includeOrphans)
    {
        var holds = after.TotalRows == before.TotalRows && after.NullCount == before.NullCount
            && (!includeOrphans || after.OrphanCount == before.OrphanCount);
        return VerificationCheck.Expect(holds, category, $"{finding.SourceTable}.{finding.SourceColumn}: {what}",
            $"rows {before.TotalRows} → {after.TotalRows}, NULLs {before.NullCount ?? 0} → {after.NullCount ?? 0}" +
            (includeOrphans ? $", orphan rows {before.OrphanCount} → {after.OrphanCount}" : ""));
    }
}
