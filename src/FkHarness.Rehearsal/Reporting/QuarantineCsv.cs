using System.Globalization;
using System.Text;
using FkHarness.Rehearsal.Verification;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>
/// quarantine.csv: every row 025 deleted and every value it set to NULL, one line each (table,
/// column, row id, action, reason code, old value), the old value with its invisible characters
/// spelled out (<see cref="VisibleText.Unambiguous"/>: \t, \n, U+00A0, and \\ for a backslash).
/// </summary>
internal static class QuarantineCsv
{
    public const string Header = "table,column,row_id,action,reason_code,old_value";

    public static string Render(IEnumerable<QuarantinedRow> rows)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var row in rows)
        {
            csv.Append(Field(row.Table)).Append(',').Append(Field(row.Column)).Append(',')
                .Append(row.RowId.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(row.Action)).Append(',').Append(Field(row.ReasonCode)).Append(',')
                .Append(row.OldValue is null ? "" : Field(VisibleText.Unambiguous(row.OldValue))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>RFC 4180: quoted when it holds a comma, a quote or leading/trailing spaces, quotes doubled. An empty value is "" (a NULL is an empty field).</summary>
    private static string Field(string value) =>
        value.Length == 0 || value.Contains(',') || value.Contains('"') || value != value.Trim(' ')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
