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
    private const int ExamplesPerState = 5;
    private const int MaxProblems = 20;
    private readonly Random _random = new(7919 * number);
    private readonly List<TextTable> _textTables = [.. TrafficTables.Text.Where(t => Writable(t.InsertSql, world))];
    private readonly List<ArrayTable> _arrayTables = [.. TrafficTables.Arrays.Where(a => Writable(a.InsertSql, world) && (a.ReferencesUsers ? world.StableUsers.Count > 0 : world.ConditionIds.Count > 0))];
    private int _sequence;

    public List<WriteSample> Samples { get; } = new(capacity: 1 << 12);

    public TrafficLedger Ledger { get; } = new();

    /// <summary>Every failed write by SQLSTATE (23503 included; "08006" for a broken connection).</summary>
    public Dictionary<string, int> FailuresBySqlState { get; } = new(StringComparer.Ordinal);

    /// <summary>A few failures of each SQLSTATE, with what was being written.</summary>
    public List<TrafficError> Examples { get; } = [];

    /// <summary>What a real FK would not allow: a valid write rejected, an invalid one accepted once guarded.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Invalid writes tried (each where its table was already guarded).</summary>
    public int InvalidTried { get; private set; }

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
                    Record("guard lookup", e is PostgresException p ? p.SqlState : "08006", e.Message);
                    usable = false;
                }
                catch (OperationCanceledException)
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
                Record("connect", e is PostgresException p ? p.SqlState : "08006", e.Message);
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
            roll = 80;
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

    private async Task<bool> UpdateTextAsync(NpgsqlConnection connection, bool invalid, CancellationToken abort)
    {
        if (Ledger.TextRows.Count == 0)
        {
            return await InsertTextAsync(connection, invalid, abort);
        }

        var ((tableName, id), _) = Ledger.TextRows.ElementAt(_random.Next(Ledger.TextRows.Count));
        var table = TrafficTables.Text.Single(t => t.Name == tableName);
        invalid = invalid && await guards.IsGuardedAsync(connection, table.Name, table.Column, array: false, abort);
        var value = invalid ? MissingUserId() : Pick(world.StableUsers).UserId;
        var (ok, result) = await WriteAsync(connection, TrafficKinds.Of("update", table.Name), $"UPDATE {table.Name} SET {table.Column} = @v WHERE id = @id", invalid, c =>
        {
            c.Parameters.AddWithValue("v", value);
            c.Parameters.AddWithValue("id", id);
        }, scalar: false, key: (tableName, id), abort);
        if (result is 1)
        {
            if (invalid)
            {
                Ledger.TextRows.Remove((tableName, id));
            }
            else
            {
                Ledger.TextRows[(tableName, id)] = value;
            }
        }

        // 0 rows: the row is gone behind the writer's back; the ledger keeps it, and the check reports it lost.
        return ok;
    }

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

    private async Task<bool> UpdateArrayAsync(NpgsqlConnection connection, bool invalid, CancellationToken abort)
    {
        if (Ledger.ArrayRows.Count == 0)
        {
            return await InsertArrayAsync(connection, invalid, abort);
        }

        var ((tableName, id), _) = Ledger.ArrayRows.ElementAt(_random.Next(Ledger.ArrayRows.Count));
        var table = TrafficTables.Arrays.Single(a => a.Name == tableName);
        invalid = invalid && await guards.IsGuardedAsync(connection, table.Name, table.Column, array: true, abort);
        var value = ArrayValue(table, invalid);
        var (ok, result) = await WriteAsync(connection, TrafficKinds.Of("update", table.Name), $"UPDATE {table.Name} SET {table.Column} = @arr WHERE id = @id", invalid, c =>
        {
            c.Parameters.AddWithValue("arr", value);
            c.Parameters.AddWithValue("id", id);
        }, scalar: false, key: (tableName, id), abort);
        if (result is 1)
        {
            if (invalid)
            {
                Ledger.ArrayRows.Remove((tableName, id));
            }
            else
            {
                Ledger.ArrayRows[(tableName, id)] = value;
            }
        }

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

    /// <summary>
    /// Runs one statement, timed. Returns whether the connection is still usable, and the scalar
    /// (or row count) when the write was acknowledged, null when it failed.
    /// </summary>
    private async Task<(bool Usable, object? Result)> WriteAsync(
        NpgsqlConnection connection, byte kind, string sql, bool invalid, Action<NpgsqlCommand> bind,
        bool scalar, (string Table, long Id)? key, CancellationToken abort)
    {
        _sequence++;
        if (invalid)
        {
            InvalidTried++;
        }

        await using var command = new NpgsqlCommand(sql, connection);
        bind(command);
        var start = Stopwatch.GetTimestamp();
        try
        {
            object? result = scalar ? await command.ExecuteScalarAsync(abort) : await command.ExecuteNonQueryAsync(abort);
            Samples.Add(new WriteSample(start, Stopwatch.GetTimestamp() - start, kind, WriteOutcome.Committed));
            if (invalid && Problems.Count < MaxProblems)
            {
                Problems.Add($"{TrafficKinds.All[kind]}: an invalid value was accepted although the table's FK or trigger existed");
            }

            return (true, scalar ? result : Convert.ToInt32(result, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (PostgresException e) when (!abort.IsCancellationRequested)
        {
            var outcome = e.SqlState == PostgresErrorCodes.ForeignKeyViolation ? WriteOutcome.ForeignKeyViolation : WriteOutcome.OtherError;
            Samples.Add(new WriteSample(start, Stopwatch.GetTimestamp() - start, kind, outcome));
            Record(TrafficKinds.All[kind], e.SqlState, e.MessageText);
            if (!invalid && outcome == WriteOutcome.ForeignKeyViolation && Problems.Count < MaxProblems)
            {
                Problems.Add($"{TrafficKinds.All[kind]}: a valid write was rejected: {e.MessageText}");
            }

            return (connection.FullState == System.Data.ConnectionState.Open, null);
        }
        catch (Exception e) when (!abort.IsCancellationRequested && e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
        {
            // No answer: the write may or may not have committed.
            Samples.Add(new WriteSample(start, Stopwatch.GetTimestamp() - start, kind, WriteOutcome.OtherError));
            Record(TrafficKinds.All[kind], "08006", e.Message);
            if (key is { } k)
            {
                Ledger.Uncertain.Add(k);
            }

            return (false, null);
        }
        catch (Exception) when (abort.IsCancellationRequested)
        {
            // Ctrl+C: the write in flight was cancelled; it is not a sample.
            if (key is { } k)
            {
                Ledger.Uncertain.Add(k);
            }

            return (false, null);
        }
    }

    private void Record(string kind, string sqlState, string message)
    {
        FailuresBySqlState[sqlState] = FailuresBySqlState.GetValueOrDefault(sqlState) + 1;
        if (Examples.Count(x => x.SqlState == sqlState) < ExamplesPerState)
        {
            Examples.Add(new TrafficError(DateTimeOffset.UtcNow, kind, sqlState, message));
        }
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
