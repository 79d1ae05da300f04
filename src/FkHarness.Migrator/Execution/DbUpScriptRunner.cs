using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using DbUp;
using DbUp.Engine;
using DbUp.Helpers;
using FkHarness.Migrator.Database;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FkHarness.Migrator.Execution;

/// <summary>
/// Runs one script through a DbUp engine of its own: statements split as psql splits them, no
/// DbUp transaction (the scripts open and commit their own), variables off (DbUp would read a
/// <c>$tag$</c> body as a variable), and either our checksum journal or none (down scripts).
/// </summary>
internal sealed class DbUpScriptRunner(MigratorDatabase database, MigratorOptions options, ILogger logger)
{
    /// <exception cref="Exception">The script's own failure (a PostgresException for SQL errors).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the session running the script was ended.</exception>
    public async Task RunAsync(SqlScript script, bool journaled, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var session = new StrongBox<int>();
        void OnSession(NpgsqlConnection connection)
        {
            database.ForwardNotices(connection);
            // Until this session ends, the next migrator waits for it (see MigratorLock.ScriptSessionKey).
            using (var hold = new NpgsqlCommand($"SELECT pg_advisory_lock_shared({MigratorLock.ScriptSessionKey})", connection))
            {
                hold.ExecuteNonQuery();
            }

            Volatile.Write(ref session.Value, connection.ProcessID);
            // Checked after publishing the pid: a cancel either sees the pid or is seen here.
            cancellationToken.ThrowIfCancellationRequested();
        }

        await using var dataSource = database.CreateDataSource();
        var builder = DeployChanges.To.PostgresqlDatabase(new StatementSplittingConnectionManager(dataSource));
        // Before WithExecutionTimeout, which configures whichever executor is in place.
        builder.Configure(c => c.ScriptExecutor = new StatementIndexingScriptExecutor(
            () => c.ConnectionManager, () => c.Log, () => c.VariablesEnabled, c.ScriptPreprocessors, () => c.Journal));
        var engine = builder
            .WithScript(script)
            .WithoutTransaction()
            .WithVariablesDisabled()
            .WithExecutionTimeout(options.CommandTimeout ?? TimeSpan.Zero)
            .LogTo(new DbUpLog(logger))
            .JournalTo((connectionManager, _) => new SessionObservingJournal(
                journaled ? new ChecksumJournal(connectionManager) : new NullJournal(), connectionManager, OnSession))
            .Build();

        DatabaseUpgradeResult result;
        var ending = new StrongBox<Task?>();
        // DbUp is synchronous: on cancel, end its session so the statement stops now, not at the end of the scan.
        await using (cancellationToken.Register(() => ending.Value = EndSessionAsync(session)))
        {
            result = await Task.Run(engine.PerformUpgrade, CancellationToken.None);
        }

        // Disposing the registration waited for the callback, so ending.Value is settled.
        if (ending.Value is not null)
        {
            await ending.Value;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!result.Successful)
        {
            ExceptionDispatchInfo.Throw(result.Error);
        }
    }

    private Task EndSessionAsync(StrongBox<int> session)
    {
        var pid = Volatile.Read(ref session.Value);
        return pid == 0 ? Task.CompletedTask : database.TerminateAsync(pid);
    }
}
