using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using DbUp;
using DbUp.Engine;
using DbUp.Helpers;
using FkHarness.Migrator.Database;
using Microsoft.Extensions.Logging;

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
        await using var dataSource = database.CreateDataSource(connection =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            Volatile.Write(ref session.Value, connection.ProcessID);
        });

        var builder = DeployChanges.To.PostgresqlDatabase(new StatementSplittingConnectionManager(dataSource))
            .WithScript(script)
            .WithoutTransaction()
            .WithVariablesDisabled()
            .WithExecutionTimeout(options.CommandTimeout ?? TimeSpan.Zero)
            .LogTo(new DbUpLog(logger, database.ConnectionString));
        var engine = (journaled ? builder.JournalTo((connectionManager, _) => new ChecksumJournal(connectionManager)) : builder.JournalTo(new NullJournal()))
            .Build();

        DatabaseUpgradeResult result;
        // DbUp is synchronous: on cancel, end its session so the statement stops now, not at the end of the scan.
        await using (cancellationToken.Register(() => EndSession(session)))
        {
            result = await Task.Run(engine.PerformUpgrade, CancellationToken.None);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!result.Successful)
        {
            ExceptionDispatchInfo.Throw(result.Error);
        }
    }

    private void EndSession(StrongBox<int> session)
    {
        var pid = Volatile.Read(ref session.Value);
        if (pid != 0)
        {
            _ = database.TerminateAsync(pid);
        }
    }
}
