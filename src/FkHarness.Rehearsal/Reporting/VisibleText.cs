using System.Globalization;
using System.Text;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>
/// Text with its invisible characters made visible, the way the JSON report shows them: a tab as
/// <c>\t</c>, a newline as <c>\n</c>, a carriage return as <c>\r</c>, a no-break space and any other
/// control or unusual space as <c>U+00A0</c>. Someone writing a repair from the report must see
/// that a value ends in a no-break space, which trim() does not strip, and not a plain space.
/// </summary>
internal static class VisibleText
{
    /// <summary>The text with invisible characters spelled out; a backslash stays as it is.</summary>
    public static string Of(string text) => Escape(text, backslash: false);

    /// <summary>As <see cref="Of"/>, and a backslash doubled, so the escaped text reads back unambiguously (quarantine.csv).</summary>
    public static string Unambiguous(string text) => Escape(text, backslash: true);

    private static string Escape(string text, bool backslash)
    {
        if (!text.Any(c => NeedsEscape(c) || (backslash && c == '\\')))
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            result.Append(c switch
            {
                '\t' => @"\t",
                '\n' => @"\n",
                '\r' => @"\r",
                '\\' when backslash => @"\\",
                _ when NeedsEscape(c) => $"U+{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return result.ToString();
    }

    /// <summary>Control characters and every space but the plain one (no-break, thin, ideographic…), and zero-width format characters.</summary>
    private static bool NeedsEscape(char c) =>
        char.IsControl(c)
        || (char.IsWhiteSpace(c) && c != ' ')
        || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
