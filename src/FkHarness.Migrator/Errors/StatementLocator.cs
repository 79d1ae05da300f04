using FkHarness.Migrator.Scripts;
using FkHarness.Migrator.Sql;
using Npgsql;

namespace FkHarness.Migrator.Errors;

/// <summary>Finds the statement of a script that PostgreSQL rejected, so the message can name its line.</summary>
internal static class StatementLocator
{
    private const int MaxStatementLength = 160;

    /// <summary>" at line N (ALTER TABLE ...)", or "" when the statement is not known.</summary>
    public static string Describe(MigrationScript script, PostgresException e)
    {
        var failed = e.BatchCommand?.CommandText;
        if (string.IsNullOrWhiteSpace(failed))
        {
            return "";
        }

        var statement = PsqlStatementSplitter.SplitWithLines(script.Contents)
            .FirstOrDefault(s => string.Equals(s.Text, failed.Trim(), StringComparison.Ordinal));
        var text = Shorten(failed);
        return statement is null ? $" (statement: {text})" : $" at line {statement.Line} ({text})";
    }

    private static string Shorten(string sql)
    {
        var oneLine = string.Join(' ', sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= MaxStatementLength ? oneLine : oneLine[..MaxStatementLength] + "…";
    }
}
