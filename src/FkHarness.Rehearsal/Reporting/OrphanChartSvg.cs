using System.Globalization;
using System.Text;
using FkHarness.Catalog;
using static System.Net.WebUtility;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>
/// An inline SVG bar chart: orphans per relationship as 024 counted them before the fix, each
/// bar coloured by what the fix does to them (025 deletes, 025 sets to NULL, 026 leaves existing
/// array rows and guards new writes).
/// </summary>
internal static class OrphanChartSvg
{
    public const string DeleteColour = "#c0392b";
    public const string SetNullColour = "#e67e22";
    public const string LeaveColour = "#2e86c1";

    private const int LabelWidth = 400;
    private const int BarWidth = 360;
    private const int RowHeight = 26;
    private const int LegendHeight = 34;

    public static string Render(IReadOnlyList<RelationshipRow> rows)
    {
        var charted = rows.Where(r => r.Finding.Kind != ForeignKeyKind.ExternalId).ToList();
        var max = Math.Max(1, charted.Max(r => r.Before?.OrphanCount ?? 0));
        var width = LabelWidth + BarWidth + 300;
        var height = LegendHeight + (charted.Count * RowHeight) + 8;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Orphans per relationship and action\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, sans-serif\" font-size=\"13\">");
        Legend(svg);
        for (var i = 0; i < charted.Count; i++)
        {
            Bar(svg, charted[i], LegendHeight + (i * RowHeight), max);
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Legend(StringBuilder svg)
    {
        var x = LabelWidth;
        foreach (var (colour, text) in new[] { (DeleteColour, "025 deletes the row"), (SetNullColour, "025 sets the value to NULL"), (LeaveColour, "left as is; 026 rejects new ones") })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"8\" width=\"14\" height=\"14\" fill=\"{colour}\"/><text x=\"{x + 20}\" y=\"19\">{HtmlEncode(text)}</text>");
            x += 20 + (text.Length * 7) + 24;
        }
    }

    private static void Bar(StringBuilder svg, RelationshipRow row, int y, long max)
    {
        var count = row.Before?.OrphanCount ?? 0;
        var length = count == 0 ? 0 : Math.Max(2, (int)Math.Round(BarWidth * (double)count / max));
        var colour = row.Finding.Kind switch
        {
            ForeignKeyKind.TextFkRequired => DeleteColour,
            ForeignKeyKind.TextFkNullable => SetNullColour,
            _ => LeaveColour,
        };
        var label = $"{row.Finding.SourceTable}.{row.Finding.SourceColumn} → {row.Finding.TargetTable}.{row.Finding.TargetColumn}";
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 17}\" text-anchor=\"end\">{HtmlEncode(label)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 5}\" width=\"{length}\" height=\"16\" fill=\"{colour}\"><title>{HtmlEncode($"{label}: {count} orphans; {row.Action}")}</title></rect>");
        var text = row.Before is null ? "not audited" : $"{count:N0}{Breakdown(row)}";
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + length + 6}\" y=\"{y + 17}\">{HtmlEncode(text)}</text>");
    }

    private static string Breakdown(RelationshipRow row)
    {
        var b = row.Before!;
        var parts = row.Finding.IsArrayForeignKey
            ? new[] { (b.MissingCount, "with unknown ids"), (b.NullElementRows, "with NULL elements") }
            : [(b.MissingCount, "missing"), (b.VariantCount, "variants"), (b.EmptyStringCount, "empty")];
        var shown = parts.Where(p => p.Item1 is > 0).Select(p => $"{p.Item1:N0} {p.Item2}").ToList();
        return b.OrphanCount == 0 || shown.Count == 0 ? "" : $" ({string.Join(", ", shown)})";
    }
}
