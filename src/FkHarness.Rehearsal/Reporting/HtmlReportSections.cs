using System.Globalization;
using System.Text;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Verification;
using FkHarness.Catalog;
using static System.Net.WebUtility;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>The sections of report.html that are prose or lists rather than a plain table of rows.</summary>
internal static class HtmlReportSections
{
    private static readonly Dictionary<string, string> ReasonMeanings = new()
    {
        ["missing"] = "no users.user_id equals it: the id of a deleted user, or a typo",
        ["variant"] = "differs from an existing users.user_id only in case or surrounding whitespace; someone may prefer to repair these by hand before 025 runs",
        ["empty_string"] = "the empty string: references nobody",
    };

    public static string Setting(RehearsalContext context)
    {
        var options = context.Options;
        var seeded = context.Seeded;
        var data = options.FromDump is not null
            ? $"restored from {Path.GetFileName(options.FromDump)}"
            : seeded is null
                ? $"seeded (scale {options.Scale}, seed {options.Seed}, orphan rate {options.OrphanRate})"
                : $"seeded: {seeded.TotalRows:N0} rows (scale {seeded.Scale}, seed {seeded.Seed}, orphan rate {seeded.OrphanRate})";
        var items = new List<(string, string)>
        {
            ("Run", $"{context.Artifacts.RunId}, started {context.StartedAt:yyyy-MM-dd HH:mm:ss} UTC"),
            ("Database", $"{(options.UsesExistingServer ? "existing server" : "throwaway cluster")}: {context.Database?.Description ?? "not provisioned"}"),
            ("Data", data),
            ("Migrations", options.MigrationsDirectory is null ? "the migrator's own (024–026)" : Path.GetFullPath(options.MigrationsDirectory)),
            ("Run as", context.MigrationRole is null
                ? "not run"
                : $"{context.MigrationRole.Name}{(context.MigrationRole.IsSuperuser ? " (a superuser)" : " (SET ROLE; owner of the rehearsal database)")}"),
        };
        if (context.CreatedRoles.Count > 0)
        {
            items.Add(("Roles created for the dump", $"{string.Join(", ", context.CreatedRoles)} (NOLOGIN, only what the dump grants)"));
        }

        var html = new StringBuilder("<dl>");
        foreach (var (term, description) in items)
        {
            html.Append("<dt>").Append(HtmlEncode(term)).Append("</dt><dd>").Append(HtmlEncode(description)).Append("</dd>");
        }

        return html.Append("</dl>").ToString();
    }

    public static string Story(RehearsalContext context, IReadOnlyList<RelationshipRow> rows)
    {
        if (context.AuditBefore is null)
        {
            return "<p>The rehearsal stopped before 024 measured anything.</p>";
        }

        var migrated = context.AuditAfter is not null;
        var required = rows.Where(r => r.Finding.Kind == ForeignKeyKind.TextFkRequired).ToList();
        var nullable = rows.Where(r => r.Finding.Kind == ForeignKeyKind.TextFkNullable).ToList();
        var arrays = rows.Where(r => r.Finding.IsArrayForeignKey).ToList();
        long Deletes(RelationshipRow r) => migrated ? r.Deleted : r.Before?.OrphanCount ?? 0;
        long Nulls(RelationshipRow r) => migrated ? r.Nulled : r.Before?.OrphanCount ?? 0;
        var items = new List<string>
        {
            $"024 found <strong>{context.AuditBefore.TotalOrphans:N0}</strong> orphan rows in {rows.Count(r => r.Before?.OrphanCount > 0)} of {rows.Count} relationships.",
            $"025 {(migrated ? "deleted" : "will delete")} <strong>{required.Sum(Deletes):N0}</strong> rows ({Listed(required, Deletes)}) and {(migrated ? "set" : "will set")} <strong>{nullable.Sum(Nulls):N0}</strong> values to NULL ({Listed(nullable, Nulls)}); every one is first copied to <code>fk_fix.quarantine</code> with its reason, and 025 down puts them back.",
            $"025 adds {rows.Count(r => r.Finding.IsTextForeignKey)} foreign keys to users.user_id (NOT VALID, then VALIDATE) with partial indexes.",
            $"026 changes no data: the <strong>{arrays.Sum(r => r.Before?.OrphanCount ?? 0):N0}</strong> existing array rows holding unknown ids or NULL elements stay as they are (listed by 024). From then on an INSERT, or an UPDATE of the array, with an unknown id fails with SQLSTATE 23503, and so does deleting a user or alert condition an array still holds.",
        };
        var checks = context.Checks;
        if (checks.Count > 0)
        {
            var failed = checks.Count(c => c.Outcome == CheckOutcome.Failed);
            items.Add(failed == 0
                ? $"All {checks.Count(c => c.Outcome == CheckOutcome.Passed)} verification checks passed{Skipped(checks)}."
                : $"<strong>{failed} verification checks failed</strong> (listed below).");
        }

        if (context.RollbackProof is { } proof)
        {
            items.Add(proof.Holds
                ? $"026 down then 025 down brought the schema and the data of all {proof.TablesCompared} tables back exactly as they were before up."
                : "<strong>The rollback did not restore the database exactly</strong> (see Rollback).");
        }

        return "<ul>" + string.Concat(items.Select(i => $"<li>{i}</li>")) + "</ul>";
    }

    public static string Quarantine(RehearsalContext context)
    {
        if (context.Quarantine.Count == 0)
        {
            return context.AuditAfter is null
                ? "<p>Not measured: the rehearsal stopped before the verify stage read <code>fk_fix.quarantine</code>.</p>"
                : "<p>Nothing: 025 found no orphan to delete or set to NULL.</p>";
        }

        var table = new HtmlTable("Relationship", "Action", "Reason code", "Rows", "Examples");
        foreach (var group in context.Quarantine)
        {
            table.RawRow(null, HtmlEncode(group.Relationship), HtmlEncode(group.Action == "delete" ? "row deleted" : "value set to NULL"),
                HtmlEncode(group.ReasonCode), HtmlReport.Count(group.Rows), string.Join("<br>", group.Examples.Select(HtmlEncode)));
        }

        var meanings = string.Concat(context.Quarantine.Select(g => g.ReasonCode).Distinct().Order()
            .Select(code => $"<li><code>{HtmlEncode(code)}</code>: {HtmlEncode(ReasonMeanings.GetValueOrDefault(code, ""))}</li>"));
        return table + "<ul>" + meanings + "</ul>";
    }

    public static string Rollback(RehearsalContext context)
    {
        if (context.RollbackProof is not { } proof)
        {
            return context.Options.Rollback ? "<h2>Rollback</h2><p>Not reached: the rehearsal stopped before the rollback.</p>" : "";
        }

        var html = new StringBuilder("<h2>Rollback</h2><p>026 down, then 025 down, then compared with the snapshot taken before the first up: ");
        html.Append(HtmlEncode(proof.SchemaEqual ? "schema (pg_dump --schema-only of public, normalised) identical; " : "schema differs; "));
        html.Append(HtmlEncode(proof.DataEqual ? $"data identical in all {proof.TablesCompared} tables (row count and md5 of every row in id order)." : $"data differs in {string.Join(", ", proof.TablesDiffering)}."));
        html.Append("</p>");
        if (proof.SchemaDifferences.Count > 0)
        {
            html.Append("<pre>").Append(HtmlEncode(string.Join('\n', proof.SchemaDifferences))).Append("</pre>");
        }

        return html.ToString();
    }

    public static string Stages(RehearsalContext context)
    {
        var longest = Math.Max(0.001, context.Stages.Count == 0 ? 0 : context.Stages.Max(s => s.Duration.TotalSeconds));
        var total = context.Stages.Sum(s => s.Duration.TotalSeconds);
        var table = new HtmlTable("Stage", "Result", "Seconds", "", "What it did");
        foreach (var stage in context.Stages)
        {
            var status = stage.Status.ToString().ToLowerInvariant();
            var width = (int)Math.Round(200 * stage.Duration.TotalSeconds / longest);
            table.RawRow(status == "succeeded" ? null : status, HtmlEncode(stage.Name), HtmlEncode(status),
                stage.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),
                $"<span class=\"bar\" style=\"width:{width}px\"></span>", HtmlEncode(stage.Outcome.Summary ?? stage.Outcome.Error ?? ""));
        }

        table.Row("total", "", total.ToString("0.00", CultureInfo.InvariantCulture), "", "");
        return table.ToString();
    }

    public static string LockWaits(RehearsalContext context)
    {
        var waits = context.LockWaits.ToList();
        if (waits.Count == 0)
        {
            return "<p>Lock waits: none (no DDL step hit its 1 s lock_timeout).</p>";
        }

        var table = new HtmlTable("Script", "Attempt", "Retried after (s)", "Message");
        foreach (var wait in waits)
        {
            table.Row(wait.Script, wait.Attempt.ToString(CultureInfo.InvariantCulture), wait.Delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture), wait.Message);
        }

        return "<p>Lock waits (a DDL step hit its lock_timeout and was retried):</p>" + table;
    }

    public static string Files(RehearsalContext context)
    {
        var artifacts = context.Artifacts;
        var files = new[]
        {
            (artifacts.AuditReport, "the same story as data: catalog, counts before and after, actions, checks, timings"),
            (context.Backup?.Path ?? "", "pg_dump -Fc taken before the fix (the plan's Step 2)"),
            (artifacts.Manifest, "what the seeder planted, row by row (ground truth)"),
            (artifacts.SchemaBeforeUp, "the schema before up, normalised"),
            (artifacts.SchemaAfterRollback, "the schema after the rollback, normalised"),
            (artifacts.Log, "every log line of the run"),
        };
        var items = files.Where(f => f.Item1.Length > 0 && File.Exists(f.Item1))
            .Select(f => $"<li><code>{HtmlEncode(Path.GetFileName(f.Item1))}</code>: {HtmlEncode(f.Item2)}</li>");
        return $"<p>In <code>{HtmlEncode(artifacts.Directory)}</code>:</p><ul>{string.Concat(items)}</ul>";
    }

    private static string Listed(IEnumerable<RelationshipRow> rows, Func<RelationshipRow, long> count)
    {
        var parts = rows.Where(r => count(r) > 0).Select(r => $"{HtmlEncode(r.Finding.SourceTable)}.{HtmlEncode(r.Finding.SourceColumn)}: {count(r):N0}").ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static string Skipped(IReadOnlyList<VerificationCheck> checks)
    {
        var skipped = checks.Count(c => c.Outcome == CheckOutcome.Skipped);
        return skipped == 0 ? "" : $" ({skipped} skipped: see the table)";
    }
}
