using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using DbUp;
using DbUp.Engine;
using DbUp.Helpers;
using FkHarness.Migrator.Database;
using FkHarness.Migrator.LockHolds;
using FkHarness.Migrator.Steps;
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
    /// <param name="script">The script (its name is the journal's).</param>
    /// <param name="journaled">Whether to journal it with its checksum (up) or not (down, baseline).</param>
    /// <param name="holds">Where the table locks its steps held go, when <see cref="MigratorOptions.LockHoldSampling"/> is set; named by <paramref name="fileName"/>.</param>
    /// <param name="fileName">The script's file name, for the holds.</param>
    /// <param name="cancellationToken">Ends the script's session.</param>
    public async Task RunAsync(SqlScript script, bool journaled, ICollection<LockHold>? holds, string fileName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // A span per script; under it a span per step (ScriptSteps) and Npgsql's per statement.
        using var activity = MigratorTelemetry.Source.StartActivity($"script {script.Name}");
        var clock = new RunClock();
        var steps = new ScriptSteps(fileName, script.Contents, clock);
        await using var recorder = holds is not null && options.LockHoldSampling is { } interval
            ? await LockHoldRecorder.StartAsync(database, fileName, script.Contents, interval, clock, logger, cancellationToken)
            : null;
        var session = new StrongBox<int>();
        void OnSession(NpgsqlConnection connection)
        {
            if (Volatile.Read(ref session.Value) != 0)
            {
                return;
            }

            database.ForwardNotices(connection);
            connection.Notice += (_, e) => steps.Observe(e.Notice);
            // A script that announces its steps does so at DEBUG (see StepAnnouncement), which nobody
            // else sees; the other scripts' sessions stay as they were (no server DEBUG chatter).
            if (script.Contents.Contains(StepAnnouncement.Prefix, StringComparison.Ordinal))
            {
                using var announcements = new NpgsqlCommand("SET client_min_messages = debug1", connection);
                announcements.ExecuteNonQuery();
            }

            // Until this session ends, the next migrator waits for it (see MigratorLock.ScriptSessionKey).
            using (var hold = new NpgsqlCommand($"SELECT pg_advisory_lock_shared({MigratorLock.ScriptSessionKey})", connection))
            {
                hold.ExecuteNonQuery();
            }

            Volatile.Write(ref session.Value, connection.ProcessID);
            recorder?.Attach(connection);
            // Checked after publishing the pid: a cancel either sees the pid or is seen here.
            cancellationToken.ThrowIfCancellationRequested();
        }

        await using var dataSource = database.CreateDataSource();
        var builder = DeployChanges.To.PostgresqlDatabase(new StatementSplittingConnectionManager(dataSource));
        // Before WithExecutionTimeout, which configures whichever executor is in place.
        builder.Configure(c => c.ScriptExecutor = new StatementIndexingScriptExecutor(
            () => c.ConnectionManager, () => c.Log, () => c.VariablesEnabled, c.ScriptPreprocessors, () => c.Journal, steps, recorder));
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

        var announced = await steps.FinishAsync(database, activity, logger);
        if (recorder is not null)
        {
            foreach (var hold in await recorder.FinishAsync(announced))
            {
                holds!.Add(hold);
            }
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
