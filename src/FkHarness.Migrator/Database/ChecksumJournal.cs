using System.Data;
using DbUp.Engine;
using DbUp.Engine.Transactions;

namespace FkHarness.Migrator.Database;

/// <summary>
/// DbUp's view of <see cref="JournalTable"/>: DbUp asks it which scripts ran and tells it when one
/// has. DbUp calls <see cref="StoreExecutedScript"/> after the script, on the same connection but
/// (the scripts own their transactions) not atomically with it: a crash in between reruns the
/// script next time, which the scripts, being idempotent, allow by design.
/// </summary>
internal sealed class ChecksumJournal(Func<IConnectionManager> connectionManager) : IJournal
{
    public string[] GetExecutedScripts() =>
        connectionManager().ExecuteCommandsWithManagedConnection(commandFactory =>
        {
            if (!Exists(commandFactory))
            {
                return Array.Empty<string>();
            }

            using var command = commandFactory();
            command.CommandText = JournalTable.SelectSql;
            using var reader = command.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            return names.ToArray();
        });

    public void StoreExecutedScript(SqlScript script, Func<IDbCommand> dbCommandFactory)
    {
        CreateIfMissing(dbCommandFactory);
        using var command = dbCommandFactory();
        command.CommandText = JournalTable.InsertSql;
        AddParameter(command, "name", script.Name);
        AddParameter(command, "checksum", Scripts.MigrationScript.ComputeChecksum(script.Contents));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// DbUp calls this before it runs anything; the table is created when the first script is
    /// journaled instead, so a run whose first script fails leaves the database as it found it.
    /// </summary>
    public void EnsureTableExistsAndIsLatestVersion(Func<IDbCommand> dbCommandFactory)
    {
    }

    private static void CreateIfMissing(Func<IDbCommand> dbCommandFactory)
    {
        if (Exists(dbCommandFactory))
        {
            return;
        }

        foreach (var sql in (string[])[JournalTable.CreateSchemaSql, JournalTable.CreateTableSql])
        {
            using var command = dbCommandFactory();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private static bool Exists(Func<IDbCommand> commandFactory)
    {
        using var command = commandFactory();
        command.CommandText = JournalTable.ExistsSql;
        return command.ExecuteScalar() is true;
    }

    private static void AddParameter(IDbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
