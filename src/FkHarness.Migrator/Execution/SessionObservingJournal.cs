using System.Data;
using DbUp.Engine;
using DbUp.Engine.Transactions;
using Npgsql;

namespace FkHarness.Migrator.Execution;

/// <summary>
/// Wraps a journal to get hold of the session DbUp runs the script on: DbUp asks the journal
/// for the executed scripts on that session before running anything, and offers no other hook.
/// The runner uses it to forward the session's NOTICEs and to know which backend to end on cancel.
/// </summary>
internal sealed class SessionObservingJournal(IJournal inner, Func<IConnectionManager> connectionManager, Action<NpgsqlConnection> onSession) : IJournal
{
    public string[] GetExecutedScripts()
    {
        connectionManager().ExecuteCommandsWithManagedConnection(commandFactory =>
        {
            using var command = commandFactory();
            if (command.Connection is NpgsqlConnection connection)
            {
                onSession(connection);
            }
        });
        return inner.GetExecutedScripts();
    }

    public void StoreExecutedScript(SqlScript script, Func<IDbCommand> dbCommandFactory) => inner.StoreExecutedScript(script, dbCommandFactory);

    public void EnsureTableExistsAndIsLatestVersion(Func<IDbCommand> dbCommandFactory) => inner.EnsureTableExistsAndIsLatestVersion(dbCommandFactory);
}
