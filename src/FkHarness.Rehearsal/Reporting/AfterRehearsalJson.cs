using System.Text.Json.Nodes;
using FkHarness.Rehearsal.Afterwards;
using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>
/// FK_AUDIT_REPORT.json's <c>after_rehearsal</c>: fkdb's commands run since the rehearsal ended,
/// in order, each with what changed, and <c>database_now</c>, fkdb after the last of them. The
/// rehearsal's own sections (stages, verification, rollback) are left as the rehearsal wrote them.
/// </summary>
internal static class AfterRehearsalJson
{
    public static JsonObject Build(RehearsalContext context)
    {
        var last = context.Commands.LastOrDefault();
        return new JsonObject
        {
            ["$comment"] = "fkdb's commands (the dashboard's, with --keep) run after the rehearsal ended; the rest of this file is the rehearsal's own record. database_now is fkdb after the last command.",
            ["commands"] = new JsonArray([.. context.Commands.Select(c => (JsonNode)Command(c))]),
            ["database_now"] = last is null ? null : Database(last.After, context),
        };
    }

    private static JsonObject Command(CommandRun run) => new()
    {
        ["name"] = run.Name,
        ["title"] = run.Title,
        ["started_at"] = run.StartedAt,
        ["seconds"] = Math.Round(run.Duration.TotalSeconds, 3),
        ["status"] = run.Status.ToString().ToLowerInvariant(),
        ["outcome"] = run.Outcome,
        ["summary"] = run.Summary,
        ["error"] = run.Error,
        ["applied"] = Strings(run.Applied),
        ["rolled_back"] = Strings(run.RolledBack),
        ["lock_waits"] = run.LockWaits,
        ["rows_restored"] = run.RowsRestored,
        ["rows_quarantined"] = run.RowsQuarantined,
        ["foreign_keys_added"] = Strings(run.After.ForeignKeys.Except(run.Before.ForeignKeys)),
        ["foreign_keys_removed"] = Strings(run.Before.ForeignKeys.Except(run.After.ForeignKeys)),
        ["triggers_added"] = Strings(run.After.Triggers.Except(run.Before.Triggers)),
        ["triggers_removed"] = Strings(run.Before.Triggers.Except(run.After.Triggers)),
        ["applied_before"] = Strings(run.Before.Applied),
        ["applied_after"] = Strings(run.After.Applied),
        ["total_orphans_after"] = run.After.Audit is { Succeeded: true } audit ? audit.TotalOrphans : null,
    };

    private static JsonObject Database(DatabaseNow now, RehearsalContext context)
    {
        var audit = now.Audit is { Succeeded: true } ran ? ran : null;
        return new JsonObject
        {
            ["read_at"] = now.ReadAt,
            ["applied"] = Strings(now.Applied),
            ["foreign_keys"] = Strings(now.ForeignKeys),
            ["foreign_keys_validated"] = Strings(now.ValidatedForeignKeys),
            ["foreign_keys_expected"] = DatabaseNow.ExpectedForeignKeys(context.Catalog),
            ["triggers"] = Strings(now.Triggers),
            ["quarantined_rows"] = now.QuarantinedRows,
            ["total_orphans"] = audit?.TotalOrphans,
            ["relationships"] = new JsonArray([.. context.Catalog.Findings.Select(f => (JsonNode)new JsonObject
            {
                ["id"] = f.Id,
                ["relationship"] = f.Relationship,
                ["guard"] = AfterRehearsalGuard.Describe(f, now),
                ["orphan_count"] = audit?.Relationships.FirstOrDefault(r => r.FindingId == f.Id)?.OrphanCount,
            })]),
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
