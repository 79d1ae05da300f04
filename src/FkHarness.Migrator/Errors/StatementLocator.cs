using FkHarness.Migrator.Scripts;
using FkHarness.Migrator.Sql;
using Npgsql;

namespace FkHarness.Migrator.Errors;

/// <summary>Remembers which statement of a script PostgreSQL rejected, so the message can name its line.</summary>
internal static class StatementLocator
{
    private const string IndexKey = "FkHarness.StatementIndex";
    private const int MaxStatementLength = 160;

    /// <summary>Records that the statement at <paramref name="index"/> (as split by <see cref="PsqlStatementSplitter"/>) failed.</summary>
    public static void Remember(PostgresException e, int index) => e.Data[IndexKey] = index;

    /// <summary>" at line N (ALTER TABLE ...)", or "" when the statement is not known.</summary>
    public static string Describe(MigrationScript script, PostgresException e)
    {
        if (e.Data[IndexKey] is not int index)
        {
            return "";
        }

        var statements = PsqlStatementSplitter.SplitWithLines(script.Contents);
        if (index < 0 || index >= statements.Count)
        {
            return "";
        }

        var statement = statements[index];
        return $" at line {statement.Line} ({Shorten(statement.Text)})";
    }

    private static string Shorten(string sql)
    {
        var oneLine = string.Join(' ', sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= MaxStatementLength ? oneLine : oneLine[..MaxStatementLength] + "…";
    }
}
