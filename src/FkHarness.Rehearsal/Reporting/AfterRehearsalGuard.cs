using FkHarness.Catalog;
using FkHarness.Rehearsal.Afterwards;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>What guards one relationship in fkdb now: its FK (validated or not), its triggers, or nothing.</summary>
internal static class AfterRehearsalGuard
{
    public static string Describe(ForeignKeyFinding finding, DatabaseNow now)
    {
        if (finding.IsTextForeignKey)
        {
            var name = finding.ConstraintName!;
            return now.ValidatedForeignKeys.Contains(name) ? "FK, validated"
                : now.ForeignKeys.Contains(name) ? "FK, NOT VALID"
                : "no FK";
        }

        if (finding.IsArrayForeignKey)
        {
            var present = finding.Triggers.Count(now.Triggers.Contains);
            return present == finding.Triggers.Count ? "triggers" : present == 0 ? "no trigger" : $"{present} of {finding.Triggers.Count} triggers";
        }

        return "none (external id)";
    }
}
