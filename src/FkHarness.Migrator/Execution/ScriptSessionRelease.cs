using System.Data;
using System.Data.Common;
using FkHarness.Migrator.Database;
using Npgsql;

namespace FkHarness.Migrator.Execution;

/// <summary>
/// Gives up a script session's mark (<see cref="MigratorLock.ScriptSessionKey"/>) once its script
/// has run, on the same session, before DbUp closes it. Closing alone is not enough: the server
/// ends the backend, and with it the lock, a moment after the client has gone, and the next
/// migrator (026 right after 025) would take that moment for an interrupted migrator's session
/// still running. Only a session whose script did not run to its end (a killed client, a
/// cancelled run) keeps the mark until its backend ends.
/// </summary>
internal static class ScriptSessionRelease
{
    private static readonly string Unlock = $"SELECT pg_advisory_unlock_shared({MigratorLock.ScriptSessionKey})";

    public static void Release(Func<IDbCommand> commandFactory)
    {
        try
        {
            Run(commandFactory, Unlock);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InFailedSqlTransaction)
        {
            // The script failed inside its own BEGIN: closing would roll that back anyway.
            Run(commandFactory, "ROLLBACK");
            Run(commandFactory, Unlock);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The session is gone (cancelled and ended, or the server went away), and the mark with it.
        }
    }

    private static void Run(Func<IDbCommand> commandFactory, string sql)
    {
        using var command = commandFactory();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
