using System.Text;

namespace FkHarness.Migrator.Sql;

/// <summary>
/// Splits a script into statements exactly where psql does, so that every statement can be sent
/// as a command of its own. DbUp's PostgreSQL splitter only splits on lines holding a lone
/// <c>;</c> and otherwise sends the file as one multi-statement command, which Npgsql runs as one
/// implicit transaction: that breaks <c>CREATE INDEX CONCURRENTLY</c> and procedures that COMMIT.
/// </summary>
/// <remarks>
/// Follows psql's lexer (psqlscan.l): a <c>;</c> ends a statement unless it is inside a string
/// (<c>'...'</c>, <c>E'...'</c> with backslash escapes), a quoted identifier, a dollar-quoted body
/// (<c>$$</c>, <c>$tag$</c>), a comment (<c>--</c>, nested <c>/* */</c>), parentheses, or the
/// <c>BEGIN ... END</c> of a <c>CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC</c> body.
/// Like psql it drops whitespace and <c>--</c> comments before a statement, and drops statements
/// that hold nothing but comments. Assumes <c>standard_conforming_strings = on</c> (the default
/// since PostgreSQL 9.1). psql meta-commands (<c>\...</c>) are not supported: the migrations
/// must not contain them.
/// </remarks>
public static class PsqlStatementSplitter
{
    public static IReadOnlyList<string> Split(string script) =>
        [.. SplitWithLines(script).Select(s => s.Text)];

    public static IReadOnlyList<SqlStatement> SplitWithLines(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var statements = new List<SqlStatement>();
        var state = new StatementState();
        var start = 0;
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == ';' && state.ParenDepth == 0 && state.BeginDepth == 0)
            {
                Add(statements, script, start, i);
                start = i + 1;
                state = new StatementState();
                i++;
            }
            else
            {
                i = Skip(script, i, state);
            }
        }

        Add(statements, script, start, script.Length);
        return statements;
    }

    /// <summary>Moves past one token (a comment, a string, a word, a single character) and returns the next index.</summary>
    private static int Skip(string s, int i, StatementState state)
    {
        var c = s[i];
        var next = i + 1 < s.Length ? s[i + 1] : '\0';
        switch (c)
        {
            case '-' when next == '-':
                return SqlLexing.SkipLineComment(s, i);
            case '/' when next == '*':
                return SqlLexing.SkipBlockComment(s, i);
            case '\'':
                return SqlLexing.SkipString(s, i, backslashEscapes: false);
            case '"':
                return SqlLexing.SkipQuotedIdentifier(s, i);
            case '$':
                return SqlLexing.SkipDollarQuoted(s, i);
            case '(':
                state.ParenDepth++;
                return i + 1;
            case ')':
                state.ParenDepth = Math.Max(0, state.ParenDepth - 1);
                return i + 1;
        }

        if (SqlLexing.IsIdentifierStart(c))
        {
            var end = SqlLexing.SkipWord(s, i);
            if (end - i == 1 && c is 'E' or 'e' && end < s.Length && s[end] == '\'')
            {
                return SqlLexing.SkipString(s, end, backslashEscapes: true);
            }

            state.OnWord(s.AsSpan(i, end - i));
            return end;
        }

        return SqlLexing.IsDigit(c) ? SqlLexing.SkipWord(s, i) : i + 1;
    }

    private static void Add(List<SqlStatement> statements, string script, int start, int end)
    {
        var begin = SqlLexing.SkipWhitespaceAndLineComments(script, start, end);
        var text = script[begin..end].TrimEnd();
        if (SqlLexing.ContainsCode(text))
        {
            statements.Add(new SqlStatement(text, LineOf(script, begin)));
        }
    }

    private static int LineOf(string script, int index)
    {
        var line = 1;
        foreach (var c in script.AsSpan(0, index))
        {
            if (c == '\n')
            {
                line++;
            }
        }

        return line;
    }

    /// <summary>
    /// psql's heuristic for SQL-standard function bodies: once a statement starts with
    /// CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN (and CASE inside it) opens a block that END
    /// closes, and semicolons inside the block do not end the statement.
    /// </summary>
    private sealed class StatementState
    {
        private readonly StringBuilder _leadingWords = new();
        private int _wordCount;

        public int ParenDepth { get; set; }

        public int BeginDepth { get; private set; }

        public void OnWord(ReadOnlySpan<char> word)
        {
            if (_wordCount < 4)
            {
                _leadingWords.Append(IsLeadingKeyword(word) ? char.ToLowerInvariant(word[0]) : ' ');
            }

            _wordCount++;
            if (!IsRoutineDefinition() || ParenDepth != 0)
            {
                return;
            }

            if (word.Equals("begin", StringComparison.OrdinalIgnoreCase))
            {
                BeginDepth++;
            }
            else if (word.Equals("case", StringComparison.OrdinalIgnoreCase) && BeginDepth >= 1)
            {
                BeginDepth++;
            }
            else if (word.Equals("end", StringComparison.OrdinalIgnoreCase) && BeginDepth > 0)
            {
                BeginDepth--;
            }
        }

        private static bool IsLeadingKeyword(ReadOnlySpan<char> word) =>
            word.Equals("create", StringComparison.OrdinalIgnoreCase)
            || word.Equals("or", StringComparison.OrdinalIgnoreCase)
            || word.Equals("replace", StringComparison.OrdinalIgnoreCase)
            || word.Equals("function", StringComparison.OrdinalIgnoreCase)
            || word.Equals("procedure", StringComparison.OrdinalIgnoreCase);

        private bool IsRoutineDefinition()
        {
            var w = _leadingWords.ToString().PadRight(4);
            return w[0] == 'c' && (w[1] is 'f' or 'p' || (w[1] == 'o' && w[2] == 'r' && w[3] is 'f' or 'p'));
        }
    }
}
