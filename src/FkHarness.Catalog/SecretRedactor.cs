using System.Text.RegularExpressions;

namespace FkHarness.Catalog;

/// <summary>
/// Masks passwords where a text (an exception message, a log line, a report) carries them: in a
/// connection string (<c>Password=...;</c>, libpq's <c>password=...</c>), in a
/// <c>postgres://user:password@</c> URI, and in <c>PGPASSWORD=...</c>. Nothing else is touched: a
/// password that happens to equal a host name's fragment, a user or a database name (<c>x</c>,
/// <c>postgres</c>) must not turn those into stars, which would garble the message and, by the
/// stars' positions, give the password away.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>The text with every password it carries in one of the forms above replaced by <see cref="Mask"/>.</summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = UriPassword().Replace(text, match => match.Groups["head"].Value + Mask + "@");
        text = KeywordPassword().Replace(text, MaskValue);
        return EnvironmentPassword().Replace(text, MaskValue);
    }

    private static string MaskValue(Match match) =>
        match.Groups["value"].Length == 0 ? match.Value : match.Groups["key"].Value + Mask;

    // postgres://user:secret@host, postgresql://user:secret@host: the password runs to the last '@'
    // before the host part (libpq wants '@' in a password percent-encoded, but people do not always).
    [GeneratedRegex(@"(?<head>\bpostgres(?:ql)?://[^\s:/@]*:)[^\s/]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriPassword();

    // Npgsql's Password=/Pwd= (quoted with " or ' and the quote doubled inside, or up to ';'), and
    // libpq's password= (single-quoted with backslash escapes, or up to the next "keyword="). An unquoted value runs to ';', the line's end or white
    // space followed by another keyword: Npgsql leaves inner spaces unquoted, libpq separates
    // keywords by spaces; masking a word too many is safe, one too few is not.
    [GeneratedRegex(
        @"(?<key>\b(?:password|pwd)[ \t]*=[ \t]*)(?<value>""(?:[^""]|"""")*""|'(?:[^'\\]|\\.|'')*'|(?:[^;\s]|[ \t]+(?![ \t]*\w+[ \t]*=))*)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordPassword();

    // PGPASSWORD=... as a shell or an environment dump shows it: up to white space, or quoted.
    [GeneratedRegex(@"(?<key>\bPGPASSWORD=)(?<value>""[^""]*""|'[^']*'|\S*)", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentPassword();
}
