using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Engine.Transactions;
using DbUp.Postgresql;
using FkHarness.Migrator.Errors;
using FkHarness.Migrator.LockHolds;
using FkHarness.Migrator.Steps;
using Npgsql;

namespace FkHarness.Migrator.Execution;

/// <summary>
/// DbUp's PostgreSQL executor, but a failing statement's index is kept on the exception, so the
/// error can name the line of the script it came from (Npgsql says which statement failed only
/// for batches, and DbUp only logs the index). Once the script has run, its session gives up
/// the script-session mark (<see cref="ScriptSessionRelease"/>). Each statement's start and end go
/// to the script's steps and to the lock-hold recorder, when there is one.
/// </summary>
internal sealed class StatementIndexingScriptExecutor(
    Func<IConnectionManager> connectionManagerFactory,
    Func<IUpgradeLog> log,
    Func<bool> variablesEnabled,
    IEnumerable<IScriptPreprocessor> scriptPreprocessors,
    Func<IJournal> journalFactory,
    ScriptSteps steps,
    LockHoldRecorder? lockHolds)
    : PostgresqlScriptExecutor(connectionManagerFactory, log, null, variablesEnabled, scriptPreprocessors, journalFactory)
{
    private readonly Func<IConnectionManager> _connections = connectionManagerFactory;

    public override void Execute(SqlScript script, IDictionary<string, string> variables)
    {
        try
        {
            base.Execute(script, variables);
        }
        finally
        {
            _connections().ExecuteCommandsWithManagedConnection(ScriptSessionRelease.Release);
        }
    }

    protected override void ExecuteCommandsWithinExceptionHandler(int index, SqlScript script, Action executeCommand)
    {
        steps.StatementStarting(index);
        lockHolds?.StatementStarting(index);
        var succeeded = false;
        try
        {
            executeCommand();
            succeeded = true;
        }
        catch (PostgresException e)
        {
            StatementLocator.Remember(e, index);
            throw;
        }
        finally
        {
            steps.StatementFinished(index, succeeded);
            lockHolds?.StatementFinished(index, succeeded);
        }
    }
}
