using System.Globalization;
using System.Text;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Traffic;
using static System.Net.WebUtility;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>report.html's traffic section: how the application's writes fared while 025 and 026 ran (--traffic).</summary>
internal static class HtmlTrafficSection
{
    public static string Render(RehearsalContext context)
    {
        if (context.Traffic is not { } result)
        {
            return "<p>No traffic was run. With <code>--traffic</code>, synthetic application writers write during the migrations and this section shows the longest stall, latency before and during each migration, and the writes rejected.</p>";
        }

        var figures = TrafficFigures.From(result, context.Stages, context.LockHolds);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p>{figures.Writes:N0} writes at {result.Rate} per second by {result.Writers} connections (<code>application_name {TrafficOptions.ApplicationName}</code>, one autocommit statement each), ")
            .Append("from a few seconds before the first migration until a second after the last (the first second is warm-up, left out of the \"before\" figures): inserts and updates in the nine tables and the four array tables, inserts and deletes of users. ")
            .Append(CultureInfo.InvariantCulture, $"{result.InvalidShare:P0} are invalid on purpose (a user or array id no row has), tried only once that table's FK or trigger existed: {result.InvalidTried:N0} were tried. ")
            .Append("Their rows were removed after the check, before verify.</p>");
        if (result.StoppedEarly)
        {
            html.Append("<p class=\"error\">The writers were stopped early (Ctrl+C or a failed stage): nothing was checked or removed.</p>");
        }

        if (result.Error is { } error)
        {
            html.Append("<p class=\"error\">").Append(HtmlEncode(error)).Append("</p>");
        }

        if (figures.LongestStall is { } stall)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Longest write: <strong>{stall.Ms:0.0} ms</strong> (")
                .Append(HtmlEncode($"{stall.Kind}, started {stall.At:HH:mm:ss.fff} UTC, {TrafficFigures.Describe(stall.During)}"))
                .Append(stall.Outcome == WriteOutcome.Committed ? "" : HtmlEncode($", {stall.Outcome}"))
                .Append(')').Append(stall.HeldBy is null ? ". No lock the migrator measured on that table overlapped it." : $": {HtmlEncode(stall.HeldBy)}.").Append("</p>");
        }

        var windows = new HtmlTable("Window", "Writes", "p50 (ms)", "p99 (ms)", "Longest (ms)", "Rejected (23503)", "Other failures");
        foreach (var w in figures.Windows)
        {
            windows.ClassRow(w.OtherFailures > 0 ? "failed" : null, TrafficFigures.Describe(w.Name), w.Writes.ToString("N0", CultureInfo.InvariantCulture),
                Ms(w.P50Ms), Ms(w.P99Ms), Ms(w.MaxMs), w.Rejected23503.ToString(CultureInfo.InvariantCulture), w.OtherFailures.ToString(CultureInfo.InvariantCulture));
        }

        html.Append(windows);
        var failures = new HtmlTable("SQLSTATE", "Writes", "Expected", "First seen");
        foreach (var (state, count) in figures.FailuresBySqlState.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var example = result.Examples.FirstOrDefault(e => e.SqlState == state);
            failures.ClassRow(state == "23503" ? null : "failed", state, count.ToString(CultureInfo.InvariantCulture),
                state == "23503" ? "yes: an invalid write refused by an FK or a 026 trigger" : "no",
                example is null ? "" : $"{example.Kind}: {example.Message}");
        }

        html.Append(figures.FailuresBySqlState.Count == 0 ? "<p>No write failed.</p>" : failures.ToString());
        html.Append(HtmlReport.Checks(context.Checks.Where(c => c.Category == TrafficChecks.Category)));
        return html.ToString();
    }

    private static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString("0.0", CultureInfo.InvariantCulture);
}
