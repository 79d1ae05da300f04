using System.Globalization;
using System.Text;
using FkHarness.Rehearsal.Afterwards;
using FkHarness.Rehearsal.Pipeline;
using static System.Net.WebUtility;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>
/// report.html's "After the rehearsal": fkdb's commands run since the rehearsal ended and the
/// database after the last one. Empty until a command ran; the rest of the page stays the
/// rehearsal's own record, verdict included.
/// </summary>
internal static class HtmlAfterRehearsalSection
{
    public static string Render(RehearsalContext context)
    {
        if (context.Commands.Count == 0)
        {
            return "";
        }

        var ended = context.FinishedAt is { } at ? $" (it ended {at:yyyy-MM-dd HH:mm:ss} UTC)" : "";
        var html = new StringBuilder("<h2>After the rehearsal: fkdb's commands</h2>");
        html.Append("<p class=\"after\">These ran on the kept database after the rehearsal").Append(HtmlEncode(ended))
            .Append(", from the dashboard's commands on <code>fkdb</code>. The verdict above and every other section are the rehearsal's own record and are left as it wrote them; this section is what the database holds now.</p>");
        var table = new HtmlTable("#", "Command", "Started (UTC)", "Result", "Seconds", "What changed");
        var number = 0;
        foreach (var run in context.Commands)
        {
            var status = run.Status.ToString().ToLowerInvariant();
            table.ClassRow(run.Status is CommandStatus.Failed or CommandStatus.Cancelled ? "failed" : null,
                (++number).ToString(CultureInfo.InvariantCulture), run.Title, run.StartedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture), status,
                run.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture), Changes(run));
        }

        html.Append(table);
        var last = context.Commands[^1];
        html.Append("<h3>fkdb now, after “").Append(HtmlEncode(last.Title)).Append("”</h3>");
        html.Append("<p>").Append(HtmlEncode(CommandSummary.State(last.After, context.Catalog))).Append("</p>");
        var audit = last.After.Audit is { Succeeded: true } ran ? ran : null;
        var now = new HtmlTable("#", "Relationship", "Guarded now by", "Orphans now (024)");
        foreach (var finding in context.Catalog.Findings)
        {
            now.Row(finding.Id.ToString(CultureInfo.InvariantCulture), finding.Relationship, AfterRehearsalGuard.Describe(finding, last.After),
                HtmlReport.Count(audit?.Relationships.FirstOrDefault(r => r.FindingId == finding.Id)?.OrphanCount));
        }

        return html.Append(now).ToString();
    }

    private static string Changes(CommandRun run)
    {
        var parts = new List<string>();
        if (run.Status is not CommandStatus.Succeeded)
        {
            parts.Add(run.Outcome);
        }

        parts.AddRange(run.RolledBack.Select(m => $"rolled back {m}"));
        parts.AddRange(run.Applied.Select(m => $"applied {m}"));
        Add(parts, "FKs removed", run.Before.ForeignKeys.Except(run.After.ForeignKeys).Count());
        Add(parts, "FKs added", run.After.ForeignKeys.Except(run.Before.ForeignKeys).Count());
        Add(parts, "triggers removed", run.Before.Triggers.Except(run.After.Triggers).Count());
        Add(parts, "triggers added", run.After.Triggers.Except(run.Before.Triggers).Count());
        Add(parts, "quarantined rows and values put back", run.RowsRestored);
        Add(parts, "rows and values moved to the quarantine", run.RowsQuarantined);
        if (run.After.Audit is { Succeeded: true } audit)
        {
            parts.Add($"024: {audit.TotalOrphans:N0} orphan rows");
        }

        return parts.Count == 0 ? "nothing" : string.Join("; ", parts);
    }

    private static void Add(List<string> parts, string what, long count)
    {
        if (count > 0)
        {
            parts.Add($"{count:N0} {what}");
        }
    }
}
