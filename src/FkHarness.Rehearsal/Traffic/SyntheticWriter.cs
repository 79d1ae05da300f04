using System.Diagnostics;
using Npgsql;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// One application connection writing while the migrations run, at its share of the rate: inserts
/// and updates of its own rows in 025's nine tables and 026's four array tables, inserts of users
/// and deletes of users it inserted (which nothing references). Valid writes reference only users
/// that existed before (which nobody deletes); a small share are invalid on purpose, tried only
/// where the table's FK or trigger is already there, and must fail with 23503. One autocommit
/// statement per write, bounded by lock_timeout and statement_timeout, so no lock is held across
/// writes and a stuck write is one long sample. Its own errors are recorded, never thrown.
/// </summary>
internal sealed class SyntheticWriter(int number, TrafficWorld world, TrafficGuards guards, TrafficOptions options, string connectionString)
{
    private readonly Random _random = new(7919 * number);
    private readonly List<TextTable> _textTables = [.. TrafficTables.Text.Where(t => Writable(t.InsertSql, world))];
    private readonly List<ArrayTable> _arrayTables = [.. TrafficTables.Arrays.Where(a => Writable(a.InsertSql, world) && (a.ReferencesUsers ? world.StableUsers.Count > 0 : world.ConditionIds.Count > 0))];
    private int _sequence;

    public TrafficLedger Ledger { get; } = new();

    /// <summary>Every write timed, and how the failed ones failed.</summary>
    public WriteRecorder Recorder { get; } = new();

    public async Task RunAsync(CancellationToken stop, CancellationToken abort)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = TrafficOptions.ApplicationName,
            // Server-side bounds (so the server gives up, not only the client), and a client backstop above them.
            Options = $"-c lock_timeout={(int)options.LockTimeout.TotalMilliseconds} -c statement_timeout={(int)options.StatementTimeout.TotalMilliseconds}",
            CommandTimeout = (int)options.StatementTimeout.TotalSeconds + 10,
        };
        var pacer = new WritePacer((double)options.Rate / options.Writers);
        NpgsqlConnection? connection = null;
        try
        {
            while (await pacer.WaitAsync(stop))
            {
                connection ??= await OpenAsync(builder.ConnectionString, stop);
                if (connection is null)
                {
                    break;
                }

                bool usable;
                try
                {
                    usable = await StepAsync(connection, abort);
                }
                catch (Exception e) when (!abort.IsCancellationRequested && e is not OutOfMemoryException)
                {
                    // A guard lookup that failed, or anything unforeseen: recorded, and the writer carries on.
                    Recorder.Record("guard lookup", e is PostgresException p ? p.SqlState : "08006", e.Message);
                    usable = false;
                }
                catch (Exception) when (abort.IsCancellationRequested)
                {
                    break;
                }

                if (!usable)
                {
                    await connection.DisposeAsync();
                    connection = null;
                }

                pacer.Wrote(Stopwatch.GetTimestamp());
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The writer ends, the rehearsal does not: the report shows why this writer stopped.
            Recorder.Record("writer", "client", $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<NpgsqlConnection?> OpenAsync(string cs, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var connection = new NpgsqlConnection(cs);
            try
            {
                await connection.OpenAsync(stop);
                return connection;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                await connection.DisposeAsync();
                Recorder.Record("connect", e is PostgresException p ? p.SqlState : "08006", e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                await connection.DisposeAsync();
            }
        }

        return null;
    }

    /// <summary>One write; false when the connection is no longer usable.</summary>
    private Task<bool> StepAsync(NpgsqlConnection connection, CancellationToken abort)
    {
        var invalid = _random.NextDouble() < options.InvalidShare;
        var roll = _random.Next(100);
        if (_textTables.Count == 0 && _arrayTables.Count == 0)
        {
            // No existing user (or nothing the tables need) to reference: users only.
            roll = 80 + (roll % 20);
        }
        else if (_arrayTables.Count == 0 && roll is >= 50 and < 80)
        {
            roll -= 50;
        }
        else if (_textTables.Count == 0 && roll < 50)
        {
            roll += 50;
        }

        return roll switch
        {
            < 30 => InsertTextAsync(connection, invalid, abort),
            < 50 => UpdateTextAsync(connection, invalid, abort),
            < 66 => InsertArrayAsync(connection, invalid, abort),
            < 80 => UpdateArrayAsync(connection, invalid, abort),
            < 90 => InsertUserAsync(connection, abort),
            _ => DeleteUserAsync(connection, abort),
        };
    }

    private async Task<bool> InsertTextAsync(NpgsqlConnection connection, bool invalid, CancellationToken abort)
    {
        var table = Pick(_textTables);
        invalid = invalid && await guards.IsGuardedAsync(connection, table.Name, table.Column, array: false, abort);
        var value = invalid ? MissingUserId() : Pick(world.StableUsers).UserId;
        var (ok, result) = await WriteAsync(connection, TrafficKinds.Of("insert", table.Name), table.InsertSql, invalid, c =>
        {
            c.Parameters.AddWithValue("v", value);
            c.Parameters.AddWithValue("key", $"fkharness_traffic_{number}_{_sequence}");
            c.Parameters.AddWithValue("dep", world.DeploymentIds.Count == 0 ? 0L : Pick(world.DeploymentIds));
            c.Parameters.AddWithValue("backup", world.BackupIds.Count == 0 ? 0L : Pick(world.BackupIds));
        }, scalar: true, key: null, abort);
        if (result is long id && !invalid)
        {
            Ledger.TextRows[(table.Name, id)] = value;
        }

        return ok;
    }

    private async Task<bool> UpdateTextAsync(NpgsqlConnection connection, bool invalid, CancellationToken abort) =>
        Ledger.TextRows.Count == 0
            ? await InsertTextAsync(connection, invalid, abort)
            : await UpdateOwnAsync(connection, Ledger.TextRows, array: false, (_, bad) => bad ? MissingUserId() : Pick(world.StableUsers).UserId, invalid, abort);

    private async Task<bool> InsertArrayAsync(NpgsqlConnection connection, bool invalid, CancellationToken abort)
    {
        var table = Pick(_arrayTables);
        invalid = invalid && await guards.IsGuardedAsync(connection, table.Name, table.Column, array: true, abort);
        var value = ArrayValue(table, invalid);
        var (ok, result) = await WriteAsync(connection, TrafficKinds.Of("insert", table.Name), table.InsertSql, invalid, c =>
        {
            c.Parameters.AddWithValue("arr", value);
            c.Parameters.AddWithValue("dep", world.DeploymentIds.Count == 0 ? 0L : Pick(world.DeploymentIds));
            c.Parameters.AddWithValue("group", world.GroupIds.Count == 0 ? 0L : Pick(world.GroupIds));
        }, scalar: true, key: null, abort);
        if (result is long id && !invalid)
        {
            Ledger.ArrayRows[(table.Name, id)] = value;
        }

        return ok;
    }

    private async Task<bool> UpdateArrayAsync(NpgsqlConnection connection, bool invalid, CancellationToken abort) =>
        Ledger.ArrayRows.Count == 0
            ? await InsertArrayAsync(connection, invalid, abort)
            : await UpdateOwnAsync(connection, Ledger.ArrayRows, array: true, (table, bad) => ArrayValue(TrafficTables.Arrays.Single(a => a.Name == table), bad), invalid, abort);

    /// <summary>Sets the referencing column of one of the writer's own rows to a new value; the ledger follows what was acknowledged.</summary>
    private async Task<bool> UpdateOwnAsync<T>(
        NpgsqlConnection connection, Dictionary<(string Table, long Id), T> own, bool array, Func<string, bool, T> newValue, bool invalid, CancellationToken abort)
        where T : notnull
    {
        var ((table, id), _) = own.ElementAt(_random.Next(own.Count));
        var column = array ? TrafficTables.Arrays.Single(a => a.Name == table).Column : TrafficTables.Text.Single(t => t.Name == table).Column;
        invalid = invalid && await guards.IsGuardedAsync(connection, table, column, array, abort);
        var value = newValue(table, invalid);
        var (ok, result) = await WriteAsync(connection, TrafficKinds.Of("update", table), $"UPDATE {table} SET {column} = @v WHERE id = @id", invalid, c =>
        {
            c.Parameters.AddWithValue("v", value);
            c.Parameters.AddWithValue("id", id);
        }, scalar: false, key: (table, id), abort);
        if (result is 1 && invalid)
        {
            own.Remove((table, id));
        }
        else if (result is 1)
        {
            own[(table, id)] = value;
        }

        // 0 rows: the row is gone behind the writer's back; the ledger keeps it, and the check reports it lost.
        return ok;
    }

    private async Task<bool> InsertUserAsync(NpgsqlConnection connection, CancellationToken abort)
    {
        var userId = $"fkharness_traffic_{number}_{_sequence}";
        // An id of the writer's own range (see TrafficWorld.FirstFreeUserId), not the sequence's next.
        var (ok, result) = await WriteAsync(connection, TrafficKinds.Of("insert", "users"),
            "INSERT INTO users (id, user_id, email, display_name) OVERRIDING SYSTEM VALUE VALUES (@id, @u, @u || '@traffic.invalid', 'fkharness traffic') RETURNING id", invalid: false,
            c =>
            {
                c.Parameters.AddWithValue("id", world.FirstFreeUserId + (number * 100_000_000L) + _sequence);
                c.Parameters.AddWithValue("u", userId);
            }, scalar: true, key: null, abort);
        if (result is long id)
        {
            Ledger.Users[id] = userId;
        }

        return ok;
    }

    private async Task<bool> DeleteUserAsync(NpgsqlConnection connection, CancellationToken abort)
    {
        if (Ledger.Users.Count == 0)
        {
            return await InsertUserAsync(connection, abort);
        }

        var (id, _) = Ledger.Users.ElementAt(_random.Next(Ledger.Users.Count));
        var (ok, result) = await WriteAsync(connection, TrafficKinds.Of("delete", "users"), "DELETE FROM users WHERE id = @id", invalid: false,
            c => c.Parameters.AddWithValue("id", id), scalar: false, key: ("users", id), abort);
        if (result is 1)
        {
            Ledger.Users.Remove(id);
            Ledger.DeletedUsers.Add(id);
        }

        return ok;
    }

    private async Task<(bool Usable, object? Result)> WriteAsync(
        NpgsqlConnection connection, byte kind, string sql, bool invalid, Action<NpgsqlCommand> bind,
        bool scalar, (string Table, long Id)? key, CancellationToken abort)
    {
        _sequence++;
        var (usable, result, unanswered) = await Recorder.WriteAsync(connection, kind, sql, invalid, bind, scalar, abort);
        if (unanswered && key is { } k)
        {
            Ledger.Uncertain.Add(k);
        }

        return (usable, result);
    }

    /// <summary>A user_id no user has (no user_id the seeder or an application makes looks like it).</summary>
    private string MissingUserId() => $"fkharness_traffic_missing_{number}_{_sequence}";

    private long[] ArrayValue(ArrayTable table, bool invalid)
    {
        var valid = Enumerable.Range(0, 1 + _random.Next(3))
            .Select(_ => table.ReferencesUsers ? Pick(world.StableUsers).Id : Pick(world.ConditionIds));
        // No row has a negative id: serial keys start at 1.
        return invalid ? [.. valid, -(1_000_000L * number) - _sequence] : [.. valid];
    }

    private static bool Writable(string insertSql, TrafficWorld world) =>
        world.StableUsers.Count > 0
        && (!insertSql.Contains("@dep", StringComparison.Ordinal) || world.DeploymentIds.Count > 0)
        && (!insertSql.Contains("@backup", StringComparison.Ordinal) || world.BackupIds.Count > 0)
        && (!insertSql.Contains("@group", StringComparison.Ordinal) || world.GroupIds.Count > 0);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
