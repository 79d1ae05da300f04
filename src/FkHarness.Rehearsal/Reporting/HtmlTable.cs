using System.Text;
using static System.Net.WebUtility;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>A plain HTML table: header cells, then rows of already-encoded or plain cells.</summary>
internal sealed class HtmlTable(params string[] headers)
{
    private readonly List<(string? Class, string[] Cells)> rows = [];

    /// <summary>Adds a row of text cells (encoded here).</summary>
    public HtmlTable Row(params string?[] cells) => RawRow(null, [.. cells.Select(c => HtmlEncode(c ?? ""))]);

    /// <summary>Adds a row with a CSS class (ok, failed, skipped) and text cells.</summary>
    public HtmlTable ClassRow(string? cssClass, params string?[] cells) => RawRow(cssClass, [.. cells.Select(c => HtmlEncode(c ?? ""))]);

    /// <summary>Adds a row whose cells are HTML already.</summary>
    public HtmlTable RawRow(string? cssClass, params string[] cells)
    {
        rows.Add((cssClass, cells));
        return this;
    }

    public override string ToString()
    {
        var html = new StringBuilder("<table><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th>").Append(HtmlEncode(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var (cssClass, cells) in rows)
        {
            html.Append(cssClass is null ? "<tr>" : $"<tr class=\"{cssClass}\">");
            foreach (var cell in cells)
            {
                html.Append("<td>").Append(cell).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
