using System.Globalization;
using System.Text;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Verification;
using static System.Net.WebUtility;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) that
/// tells someone who was not there what 025 and 026 will do to this data, and how sure we are.
/// </summary>
internal static class HtmlReport
{
    public static async Task WriteAsync(RehearsalContext context, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(context.Artifacts.HtmlReport, Render(context), cancellationToken);

    public static string Render(RehearsalContext context)
    {
        var rows = RelationshipRow.For(context);
        var verdict = RehearsalVerdict.From(context.Stages);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>FK fix rehearsal ")
            .Append(HtmlEncode(context.Artifacts.RunId)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        html.Append("<h1>FK fix rehearsal <span class=\"badge ").Append(verdict.Succeeded ? "ok" : "failed").Append("\">")
            .Append(HtmlEncode(verdict.Describe())).Append("</span></h1>");
        html.Append(HtmlReportSections.Setting(context));
        if (!verdict.Succeeded)
        {
            html.Append("<p class=\"error\"><strong>").Append(HtmlEncode(verdict.FailedStage!.Name)).Append(":</strong> ")
                .Append(HtmlEncode(verdict.FailedStage.Outcome.Error ?? "")).Append("</p>");
        }

        html.Append(HtmlAfterRehearsalSection.Render(context));
        html.Append("<h2>In short</h2>").Append(HtmlReportSections.Story(context, rows));
        html.Append("<h2>Orphans per relationship, and what the fix does to them</h2>");
        html.Append(context.AuditBefore is null ? "<p>Not audited: the rehearsal stopped before 024 ran.</p>" : OrphanChartSvg.Render(rows));
        html.Append(Relationships(rows));
        html.Append("<h2>What 025 deletes or sets to NULL, and why</h2>").Append(HtmlReportSections.Quarantine(context));
        html.Append("<h2>Every row 025 takes</h2>").Append(HtmlNewSections.QuarantineRows(context));
        html.Append("<h2>026: triggers tried with bad arrays</h2>")
            .Append("<p>Each attempt ran in a transaction that was rolled back; nothing was changed.</p>")
            .Append(Checks(context.Checks.Where(c => c.Category == TriggerChecks.Category)));
        html.Append("<h2>Verification</h2>").Append(Checks(context.Checks.Where(c => c.Category != TriggerChecks.Category)));
        html.Append(HtmlReportSections.Rollback(context));
        html.Append("<h2>Stages</h2>").Append(HtmlReportSections.Stages(context)).Append(HtmlReportSections.LockWaits(context));
        html.Append("<h2>How long 025 and 026 hold their locks</h2>").Append(HtmlNewSections.LockHolds(context));
        html.Append("<h2>How the application's writes fared (traffic)</h2>").Append(HtmlTrafficSection.Render(context));
        html.Append("<h2>Database configuration</h2>").Append(HtmlNewSections.DatabaseSettings(context));
        html.Append("<h2>Files</h2>").Append(HtmlReportSections.Files(context));
        return html.Append("</body></html>").ToString();
    }

    private static string Relationships(IReadOnlyList<RelationshipRow> rows)
    {
        var table = new HtmlTable("#", "Relationship", "Kind", "Rows", "NULLs", "Orphans before", "Action", "Orphans after");
        foreach (var row in rows)
        {
            table.Row(row.Finding.Id.ToString(CultureInfo.InvariantCulture), row.Finding.Relationship, row.KindLabel,
                Count(row.Before?.TotalRows), Count(row.Before?.NullCount), Count(row.Before?.OrphanCount), row.Action, Count(row.After?.OrphanCount));
        }

        return table.ToString();
    }

    internal static string Checks(IEnumerable<VerificationCheck> checks)
    {
        var list = checks.ToList();
        if (list.Count == 0)
        {
            return "<p>Not run: the rehearsal stopped before the verify stage.</p>";
        }

        var table = new HtmlTable("Check", "Result", "Seen");
        foreach (var check in list)
        {
            var outcome = check.Outcome.ToString().ToLowerInvariant();
            table.ClassRow(outcome, check.Name, outcome, check.Explained);
        }

        return table.ToString();
    }

    internal static string Count(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "–";

    private const string Css = """
        body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222;line-height:1.45}
        h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
        table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
        th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{background:#f4f4f4}tr.failed td{background:#fdecea}tr.skipped td{color:#777}
        .badge{font-size:.9rem;padding:.15rem .5rem;border-radius:.3rem;color:#fff;vertical-align:middle}
        .badge.ok{background:#1e8449}.badge.failed{background:#c0392b}
        .error{background:#fdecea;border-left:4px solid #c0392b;padding:.5rem .8rem}
        .bar{background:#5d6d7e;height:.8rem;display:inline-block}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
        code{background:#f4f4f4;padding:0 .2rem}tr.blocking td{background:#fef5e7}
        .after{background:#eaf2f8;border-left:4px solid #2e86c1;padding:.5rem .8rem}h3{font-size:1rem}
        """;
}
