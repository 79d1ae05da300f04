using System.Diagnostics;
using FkHarness.Migrator.Errors;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FkHarness.Migrator.Database;

/// <summary>
/// One migrator at a time per database: a session-level advisory lock held on a connection of its
/// own for the whole of <c>up</c>/<c>down</c>. DbUp has no such lock (DbUp issues #42, #358).
/// Session-level, not transaction-level, because the scripts commit many times; closing the
/// connection (or the server noticing a dead client) releases it.
/// </summary>
internal sealed class MigratorLock : IAsyncDisposable
{
    /// <summary>"fkharnes" in ASCII: a fixed key every FkHarness migrator agrees on.</summary>
    public const long Key = 0x666B_6861_726E_6573;

    /// <summary>
    /// "fkharnet": held shared by every session that runs a script (<see cref="Execution.DbUpScriptRunner"/>).
    /// A migrator killed mid-statement loses its idle lock session at once, but its script session
    /// runs on until the server notices the dead client (client_connection_check_interval, ~1 s):
    /// the next lock holder takes this key exclusively, and so waits for such a leftover, before it runs anything.
    /// </summary>
    public const long ScriptSessionKey = 0x666B_6861_726E_6574;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    // A leftover goes within about a second (client_connection_check_interval): look more often.
    private static readonly TimeSpan LeftoverPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly NpgsqlConnection _connection;

    private MigratorLock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<MigratorLock> AcquireAsync(
        MigratorDatabase database, TimeSpan waitTimeout, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var waited = Stopwatch.StartNew();
            string? holder = null;
            while (!await TryLockAsync(connection, cancellationToken))
            {
                if (holder is null)
                {
                    holder = await MigratorLockHolder.DescribeAsync(connection, cancellationToken);
                    logger.LogWarning("Waiting for another migrator on {Database} to finish ({Holder})", database.Description, holder);
                }

                if (waited.Elapsed >= waitTimeout)
                {
                    throw new MigratorFailureException(new MigratorError(
                        MigratorErrorKind.Failed,
                        $"Another migrator has held the migration lock on {database.Description} for more than {waitTimeout.TotalMinutes:0.#} min ({holder}). " +
                        "Wait for it to finish and run the command again; if that session is dead, end it with SELECT pg_terminate_backend(pid)."));
                }

                await Task.Delay(PollInterval, cancellationToken);
            }

            if (holder is not null)
            {
                logger.LogInformation("Got the migration lock after {Seconds:0.0} s", waited.Elapsed.TotalSeconds);
            }

            await WaitForLeftoverScriptSessionsAsync(connection, database, waited, waitTimeout, logger, cancellationToken);
            return new MigratorLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitForLeftoverScriptSessionsAsync(
        NpgsqlConnection connection, MigratorDatabase database, Stopwatch waited, TimeSpan waitTimeout, ILogger logger, CancellationToken cancellationToken)
    {
        string? leftover = null;
        while (!await TryLockAsync(connection, cancellationToken, ScriptSessionKey))
        {
            if (leftover is null)
            {
                leftover = await MigratorLockHolder.DescribeAsync(connection, cancellationToken, ScriptSessionKey);
                logger.LogWarning("Waiting for the script session of an earlier, interrupted migrator on {Database} to end ({Session})", database.Description, leftover);
            }

            if (waited.Elapsed >= waitTimeout)
            {
                throw new MigratorFailureException(new MigratorError(
                    MigratorErrorKind.Failed,
                    $"A script session of an earlier migrator on {database.Description} is still running after {waitTimeout.TotalMinutes:0.#} min ({leftover}). " +
                    "Wait for it to finish and run the command again; if it is stuck, end it with SELECT pg_terminate_backend(pid)."));
            }

            await Task.Delay(LeftoverPollInterval, cancellationToken);
        }

        await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({ScriptSessionKey})", connection);
        await unlock.ExecuteNonQueryAsync(cancellationToken);
        if (leftover is not null)
        {
            logger.LogInformation("The earlier migrator's script session has ended");
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken, long key = Key)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({key})", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", _connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The session is gone, and the lock with it.
        }

        await _connection.DisposeAsync();
    }
}
