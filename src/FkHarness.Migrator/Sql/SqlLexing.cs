namespace FkHarness.Migrator.Sql;

/// <summary>The token rules of PostgreSQL's lexer that a statement splitter needs: each returns the index just past the token.</summary>
internal static class SqlLexing
{
    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

    public static bool IsDigit(char c) => char.IsAsciiDigit(c);

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c) || c == '$';

    public static int SkipWord(string s, int i)
    {
        while (i < s.Length && IsIdentifierPart(s[i]))
        {
            i++;
        }

        return i;
    }

    public static int SkipLineComment(string s, int i)
    {
        var end = s.IndexOf('\n', i);
        return end < 0 ? s.Length : end + 1;
    }

    /// <summary>PostgreSQL block comments nest, unlike C's.</summary>
    public static int SkipBlockComment(string s, int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                depth++;
                i += 2;
            }
            else if (s[i] == '*' && i + 1 < s.Length && s[i + 1] == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return s.Length;
    }

    /// <summary>A '...' string at <paramref name="i"/>; '' is a quote; with backslash escapes (E'...') \' is one too.</summary>
    public static int SkipString(string s, int i, bool backslashEscapes)
    {
        i++;
        while (i < s.Length)
        {
            var c = s[i];
            if (backslashEscapes && c == '\\')
            {
                i += 2;
            }
            else if (c == '\'')
            {
                if (i + 1 < s.Length && s[i + 1] == '\'')
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return s.Length;
    }

    public static int SkipQuotedIdentifier(string s, int i)
    {
        i++;
        while (i < s.Length)
        {
            if (s[i] == '"')
            {
                if (i + 1 < s.Length && s[i + 1] == '"')
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return s.Length;
    }

    /// <summary>
    /// A $tag$...$tag$ body at <paramref name="i"/>, or just the '$' when it does not open one
    /// (a positional parameter such as $1). The tag follows identifier rules but cannot contain '$'.
    /// </summary>
    public static int SkipDollarQuoted(string s, int i)
    {
        var j = i + 1;
        if (j < s.Length && IsIdentifierStart(s[j]))
        {
            j++;
            while (j < s.Length && (IsIdentifierStart(s[j]) || IsDigit(s[j])))
            {
                j++;
            }
        }

        if (j >= s.Length || s[j] != '$')
        {
            return i + 1;
        }

        var tag = s[i..(j + 1)];
        var close = s.IndexOf(tag, j + 1, StringComparison.Ordinal);
        return close < 0 ? s.Length : close + tag.Length;
    }

    /// <summary>psql drops whitespace and -- comments before a statement (but keeps /* */ comments).</summary>
    public static int SkipWhitespaceAndLineComments(string s, int i, int end)
    {
        while (i < end)
        {
            if (char.IsWhiteSpace(s[i]))
            {
                i++;
            }
            else if (s[i] == '-' && i + 1 < end && s[i + 1] == '-')
            {
                i = Math.Min(SkipLineComment(s, i), end);
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>True when the text holds something other than whitespace and comments.</summary>
    public static bool ContainsCode(string s)
    {
        var i = 0;
        while (i < s.Length)
        {
            i = SkipWhitespaceAndLineComments(s, i, s.Length);
            if (i >= s.Length)
            {
                return false;
            }

            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                i = SkipBlockComment(s, i);
                continue;
            }

            return true;
        }

        return false;
    }
}
