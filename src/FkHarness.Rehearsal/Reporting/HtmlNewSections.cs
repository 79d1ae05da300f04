using System.Globalization;
using System.Text;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;
using static System.Net.WebUtility;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>report.html's sections on how long the fix blocks the application: lock holds, the server's configuration, and the row-level list of what 025 takes.</summary>
internal static class HtmlNewSections
{
    private const int ListedRows = 200;

    public static string LockHolds(RehearsalContext context)
    {
        var holds = context.LockHolds.ToList();
        if (holds.Count == 0)
        {
            return "<p>Lock holds: not measured (no migration ran).</p>";
        }

        var longest = holds.MaxBy(h => h.HeldFor)!;
        var blocking = holds.Where(h => h.BlocksWrites && AuditReportJson.IsUp(h)).MaxBy(h => h.HeldFor);
        var rollback = holds.Where(h => h.BlocksWrites && !AuditReportJson.IsUp(h)).MaxBy(h => h.HeldFor);
        var html = new StringBuilder("<p>Every table lock a step of the migrations held that can make the application wait (ROW EXCLUSIVE and stronger), measured by the migrator. ");
        html.Append("Longest hold: <strong>").Append(Ms(longest.HeldFor)).Append("</strong> (").Append(HtmlEncode($"{longest.Mode} on {longest.Table}, {longest.Script} line {longest.Line}")).Append("). ");
        html.Append(blocking is null
            ? "No step of the up scripts held a lock that blocks the application's writes."
            : $"Longest hold that blocks writes: <strong>{Ms(blocking.HeldFor)}</strong> ({HtmlEncode($"{blocking.Mode} on {blocking.Table}, {blocking.Script} line {blocking.Line}")}).");
        if (rollback is not null)
        {
            html.Append($" During the rollback: <strong>{Ms(rollback.HeldFor)}</strong> ({HtmlEncode($"{rollback.Mode} on {rollback.Table}, {rollback.Script} line {rollback.Line}")}).");
        }
        html.Append(" Steps between the script's BEGIN and COMMIT are exact to the statement; the steps 025's procedures announce (each NOT VALID, cleanup batch and VALIDATE) to the step, from the locks the step itself read before its COMMIT; anything else inside a procedure that commits by itself is sampled every ")
            .Append(HtmlEncode(context.LockHoldSampling)).Append(" (an upper bound; a step shorter than that may not show).</p>");
        var table = new HtmlTable("Script", "Line", "Step", "Table", "Lock", "Held (ms)", "Blocks");
        foreach (var hold in holds.OrderBy(h => h.Started))
        {
            table.ClassRow(hold.BlocksWrites ? "blocking" : null, hold.Script, hold.Line.ToString(CultureInfo.InvariantCulture), hold.Step, hold.Table,
                hold.Mode, hold.HeldFor.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + (hold.Sampled ? " (sampled)" : ""),
                hold.BlocksReads ? "reads and writes" : hold.BlocksWrites ? "writes" : "no application write");
        }

        return html + table.ToString();
    }

    public static string DatabaseSettings(RehearsalContext context)
    {
        if (context.ServerSettings is not { Count: > 0 } settings)
        {
            return "<p>Not read: the rehearsal stopped before verify.</p>";
        }

        var list = string.Concat(settings.Select(s => $"<dt>{HtmlEncode(s.Key)}</dt><dd>{HtmlEncode(s.Value)}</dd>"));
        return $"<dl>{list}</dl><p>{HtmlEncode(ServerSettings.Meaning(settings))}</p>";
    }

    public static string QuarantineRows(RehearsalContext context)
    {
        var rows = context.QuarantineRows;
        if (rows.Count == 0)
        {
            return "<p>No row: 025 deleted nothing and set nothing to NULL.</p>";
        }

        var table = new HtmlTable("Table", "Column", "Row id", "Action", "Reason code", "Old value");
        foreach (var row in rows.Take(ListedRows))
        {
            table.RawRow(null, HtmlEncode(row.Table), HtmlEncode(row.Column), row.RowId.ToString(CultureInfo.InvariantCulture), HtmlEncode(row.Action),
                HtmlEncode(row.ReasonCode), row.OldValue is null ? "<em>NULL</em>" : $"<code>{HtmlEncode(VisibleText.Unambiguous(row.OldValue))}</code>");
        }

        var more = rows.Count > ListedRows ? $" The first {ListedRows} are listed here." : "";
        return $"<p>Every row 025 deleted and every value it set to NULL: {rows.Count:N0} in all, also in <code>quarantine.csv</code> and in the JSON's <code>quarantine_rows</code>.{more} " +
               "Invisible characters are spelled out: <code>\\t</code> a tab, <code>\\n</code> a newline, <code>U+00A0</code> a no-break space (which trim() does not strip), <code>\\\\</code> a backslash.</p>" + table;
    }

    private static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
