using System.Globalization;
using System.Text;

namespace FkHarness.Benchmarks.Reporting;

/// <summary>A scenario's section of docs/benchmarks.md, between markers that name the scenario.</summary>
internal static class MarkdownReport
{
    public static string StartMarker(string key) => $"<!-- bench:{key} -->";

    public static string EndMarker(string key) => $"<!-- /bench:{key} -->";

    public static string Render(ScenarioReport report)
    {
        var text = new StringBuilder();
        var machine = report.Machine;
        text.AppendLine(StartMarker(report.Key));
        text.AppendLine(CultureInfo.InvariantCulture, $"## {report.Title}");
        text.AppendLine();
        text.AppendLine("```bash");
        text.AppendLine(report.Command);
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Scale: {report.Scale}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"- Machine: {machine.Cores} cores, {machine.MemoryGiB:0.#} GiB, {machine.Os}, PostgreSQL {machine.PostgresVersion} (throwaway cluster: fsync and synchronous_commit off); shared with other work, load average (1/5/15 min) {machine.LoadBefore} before, {machine.LoadAfter} after");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Date: {report.Date.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        foreach (var table in report.Tables)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"**{table.Caption}**");
            text.AppendLine();
            AppendTable(text, table.Headers, table.Rows);
        }

        if (report.Targets.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("**Targets**");
            text.AppendLine();
            AppendTable(text, ["target", "measured", "met"],
                report.Targets.Select(t => (IReadOnlyList<string>)[t.Target, t.Measured, t.Met ? "yes" : "**no**"]).ToList());
        }

        if (report.Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in report.Notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        text.AppendLine(EndMarker(report.Key));
        return text.ToString();
    }

    private static void AppendTable(StringBuilder text, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        text.AppendLine("| " + string.Join(" | ", headers) + " |");
        text.AppendLine("|" + string.Concat(headers.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }
    }
}
