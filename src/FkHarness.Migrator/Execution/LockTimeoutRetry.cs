using FkHarness.Migrator.Errors;
using FkHarness.Migrator.Scripts;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FkHarness.Migrator.Execution;

/// <summary>
/// Reruns a script that gave up waiting for a lock (SQLSTATE 55P03, raised by the scripts' own
/// <c>lock_timeout</c>), backing off 1 s, 2 s, 4 s, … A short lock_timeout plus retries keeps
/// a migration from queueing behind a long transaction while every other query queues behind it.
/// Rerunning is safe because the scripts are idempotent.
/// </summary>
internal sealed class LockTimeoutRetry(MigratorOptions options, ILogger logger)
{
    public async Task RunAsync(MigrationScript script, Func<CancellationToken, Task> run, ICollection<LockWait> waits, CancellationToken cancellationToken)
    {
        var attempts = options.LockTimeoutRetries + 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await run(cancellationToken);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable && attempt < attempts)
            {
                var delay = DelayBefore(attempt + 1);
                logger.LogWarning(
                    "{Script} hit lock_timeout (attempt {Attempt} of {Attempts}){Statement}: {Message}; another session holds a conflicting lock; retrying in {Delay:0.#} s",
                    script.FileName, attempt, attempts, StatementLocator.Describe(script, e), e.MessageText, delay.TotalSeconds);
                waits.Add(new LockWait(script.FileName, attempt, delay, e.MessageText));
                await Task.Delay(delay, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw new MigratorFailureException(new MigratorError(
                    MigratorErrorKind.Failed,
                    $"{script.FileName} could not take its locks: all {attempts} attempts gave up waiting{StatementLocator.Describe(script, e)} " +
                    $"({e.MessageText}, SQLSTATE {e.SqlState}). Another session holds a conflicting lock on that table for longer than the script's lock_timeout; " +
                    "find it in pg_locks joined to pg_stat_activity, let it finish (or end it), then run the command again, or allow more attempts with --lock-timeout-retries.")
                {
                    Script = script.FileName,
                    SqlState = e.SqlState,
                });
            }
        }
    }

    /// <summary>Initial delay doubled per earlier retry, capped.</summary>
    private TimeSpan DelayBefore(int attempt)
    {
        var doublings = Math.Min(attempt - 2, 30);
        var delay = options.LockRetryInitialDelay * Math.Pow(2, doublings);
        return delay < options.LockRetryMaxDelay ? delay : options.LockRetryMaxDelay;
    }
}
