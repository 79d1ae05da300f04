using System.Diagnostics;
using FkHarness.Rehearsal.Traffic;
using Npgsql;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// One application session writing while the migration runs: inserts, updates and deletes in 025's
/// nine tables, 026's four array tables and users, with valid values and with orphans, one
/// autocommit statement at a time. It keeps a ledger of every acknowledged write, counts outcomes
/// per kind, times every statement, and records as a violation anything a real FK would not allow:
/// a valid write rejected, a rejection other than 23503, an orphan accepted after the same table
/// had rejected one, or any orphan accepted once the migration is done.
/// </summary>
internal sealed class TrafficWriter(int number, TrafficWorld world, MigrationFlag migration, string connectionString)
{
    private readonly Random _random = new(1000 + number);
    private readonly HashSet<string> _guarded = new(StringComparer.Ordinal);
    private int _sequence;

    public int Number => number;

    /// <summary>Own rows of 025's tables that the writer did not delete: the last value it wrote (orphans included).</summary>
    public Dictionary<(string Table, long Id), string> TextRows { get; } = [];

    /// <summary>Own rows that an update found gone, with the last value written: 025 deleted them as orphans (checked against the quarantine).</summary>
    public Dictionary<(string Table, long Id), string> TextRowsFoundGone { get; } = [];

    public HashSet<(string Table, long Id)> DeletedTextRows { get; } = [];

    public Dictionary<long, string> Users { get; } = [];

    public HashSet<long> DeletedUsers { get; } = [];

    /// <summary>Own users deleted after the migration was done: no array may hold them.</summary>
    public HashSet<long> UsersDeletedAfterMigration { get; } = [];

    public Dictionary<(string Table, long Id), long[]> ArrayRows { get; } = [];

    public HashSet<(string Table, long Id)> DeletedArrayRows { get; } = [];

    public List<string> Violations { get; } = [];

    /// <summary>Per kind of write ("insert orphan error_logs.user_id"): acknowledged and rejected (23503) counts.</summary>
    public SortedDictionary<string, (int Accepted, int Rejected)> Outcomes { get; } = new(StringComparer.Ordinal);

    public List<double> LatenciesMs { get; } = [];

    /// <summary>Per kind of write, the longest it took (ms).</summary>
    public Dictionary<string, double> LongestByKind { get; } = [];

    public (double Ms, string Write) Longest { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = $"traffic-writer-{number}" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            await StepAsync(connection);
        }
    }

    private Task StepAsync(NpgsqlConnection connection)
    {
        var roll = _random.Next(100);
        return roll switch
        {
            < 28 => InsertTextAsync(connection, orphan: false),
            < 38 => InsertTextAsync(connection, orphan: true),
            < 48 => UpdateTextAsync(connection),
            < 52 => DeleteTextAsync(connection),
            < 62 => TouchSeededRowAsync(connection),
            < 70 => InsertUserAsync(connection),
            < 75 => DeleteUserAsync(connection),
            < 84 => InsertArrayAsync(connection, orphan: false),
            < 90 => InsertArrayAsync(connection, orphan: true),
            < 96 => UpdateArrayAsync(connection),
            _ => DeleteArrayAsync(connection),
        };
    }

    private async Task InsertTextAsync(NpgsqlConnection connection, bool orphan)
    {
        var table = Pick(TrafficTables.Text);
        var value = orphan ? OrphanUserId() : ValidUserId();
        var kind = $"insert {(orphan ? "orphan" : "valid")} {table.Name}.{table.Column}";
        var id = await WriteAsync<long?>(connection, kind, table.InsertSql, c =>
        {
            c.Parameters.AddWithValue("v", value);
            c.Parameters.AddWithValue("key", $"traffic_{number}_{_sequence}");
            c.Parameters.AddWithValue("dep", Pick(world.DeploymentIds));
            c.Parameters.AddWithValue("backup", Pick(world.BackupIds));
        }, orphan ? table.Name : null);
        if (id is { } inserted)
        {
            TextRows[(table.Name, inserted)] = value;
        }
    }

    private async Task UpdateTextAsync(NpgsqlConnection connection)
    {
        if (TextRows.Count == 0)
        {
            return;
        }

        var ((tableName, id), _) = TextRows.ElementAt(_random.Next(TextRows.Count));
        var table = TrafficTables.Text.Single(t => t.Name == tableName);
        var orphan = _random.Next(3) == 0;
        // A fresh ghost: an UPDATE that leaves the key as it was is not checked, by PostgreSQL's FKs either.
        var value = orphan ? $"ghost_{number}_{_sequence}" : ValidUserId();
        var kind = $"update to {(orphan ? "orphan" : "valid")} {table.Name}.{table.Column}";
        var updated = await WriteAsync<int?>(connection, kind, $"UPDATE {table.Name} SET {table.Column} = @v WHERE id = @id", c =>
        {
            c.Parameters.AddWithValue("v", value);
            c.Parameters.AddWithValue("id", id);
        }, orphan ? table.Name : null, nonQuery: true);
        if (updated == 1)
        {
            TextRows[(tableName, id)] = value;
        }
        else if (updated == 0)
        {
            TextRows.Remove((tableName, id), out var last);
            TextRowsFoundGone[(tableName, id)] = last!;
        }
    }

    private async Task DeleteTextAsync(NpgsqlConnection connection)
    {
        if (TextRows.Count == 0)
        {
            return;
        }

        var ((tableName, id), _) = TextRows.ElementAt(_random.Next(TextRows.Count));
        var done = await WriteAsync<int?>(connection, $"delete own row {tableName}", $"DELETE FROM {tableName} WHERE id = @id",
            c => c.Parameters.AddWithValue("id", id), guardedTable: null, nonQuery: true);
        if (done is not null)
        {
            TextRows.Remove((tableName, id));
            DeletedTextRows.Add((tableName, id));
        }
    }

    private async Task TouchSeededRowAsync(NpgsqlConnection connection)
    {
        // Seeded rows include the orphans 025 is cleaning right now: row locks meet its batches.
        var table = Pick(TrafficTables.Text);
        var id = 1 + _random.NextInt64(world.MaxIdsAtStart[table.Name]);
        await WriteAsync<int?>(connection, $"update other column {table.Name}", table.TouchSql,
            c => c.Parameters.AddWithValue("id", id), guardedTable: null, nonQuery: true);
    }

    private async Task InsertUserAsync(NpgsqlConnection connection)
    {
        var userId = $"usr_traffic{number}x{_sequence}";
        var id = await WriteAsync<long?>(connection, "insert user",
            "INSERT INTO users (user_id, email, display_name) VALUES (@u, 'traffic@example.com', 'Traffic') RETURNING id",
            c => c.Parameters.AddWithValue("u", userId), guardedTable: null);
        if (id is { } inserted)
        {
            Users[inserted] = userId;
        }
    }

    private async Task DeleteUserAsync(NpgsqlConnection connection)
    {
        if (Users.Count == 0)
        {
            return;
        }

        var (id, _) = Users.ElementAt(_random.Next(Users.Count));
        var afterMigration = migration.IsDone;
        var heldByAnArray = ArrayRows.Values.Any(a => a.Contains(id));
        // A user the writer's own rows still reference: rejected once an FK or 026's guard is in place.
        var done = await WriteAsync<int?>(connection, "delete own user", "DELETE FROM users WHERE id = @id",
            c => c.Parameters.AddWithValue("id", id), guardedTable: null, nonQuery: true,
            onRejected: e =>
            {
                if (e.MessageText.Contains("array references", StringComparison.Ordinal))
                {
                    _guarded.Add("users (026 guard)");
                }
            });
        if (done is not null && heldByAnArray && _guarded.Contains("users (026 guard)"))
        {
            Violations.Add($"writer {number}: deleting user {id}, held by an array, was accepted after 026's guard had rejected such a delete");
        }

        if (done is not null)
        {
            Users.Remove(id);
            DeletedUsers.Add(id);
            if (afterMigration)
            {
                UsersDeletedAfterMigration.Add(id);
            }
        }
    }

    private async Task InsertArrayAsync(NpgsqlConnection connection, bool orphan)
    {
        var table = Pick(TrafficTables.Arrays);
        var value = ArrayValue(table, orphan);
        var kind = $"insert {(orphan ? "orphan" : "valid")} {table.Name}.{table.Column}";
        var id = await WriteAsync<long?>(connection, kind, table.InsertSql, c =>
        {
            c.Parameters.AddWithValue("arr", value);
            c.Parameters.AddWithValue("dep", Pick(world.DeploymentIds));
            c.Parameters.AddWithValue("group", Pick(world.GroupIds));
        }, orphan ? table.Name : null);
        if (id is { } inserted)
        {
            ArrayRows[(table.Name, inserted)] = value;
        }
    }

    private async Task UpdateArrayAsync(NpgsqlConnection connection)
    {
        if (ArrayRows.Count == 0)
        {
            return;
        }

        var ((tableName, id), _) = ArrayRows.ElementAt(_random.Next(ArrayRows.Count));
        var table = TrafficTables.Arrays.Single(t => t.Name == tableName);
        var orphan = _random.Next(3) == 0;
        var value = ArrayValue(table, orphan);
        var updated = await WriteAsync<int?>(connection, $"update to {(orphan ? "orphan" : "valid")} {table.Name}.{table.Column}",
            $"UPDATE {table.Name} SET {table.Column} = @arr WHERE id = @id", c =>
            {
                c.Parameters.AddWithValue("arr", value);
                c.Parameters.AddWithValue("id", id);
            }, orphan ? table.Name : null, nonQuery: true);
        if (updated == 1)
        {
            ArrayRows[(tableName, id)] = value;
        }
    }

    private async Task DeleteArrayAsync(NpgsqlConnection connection)
    {
        if (ArrayRows.Count == 0)
        {
            return;
        }

        var ((tableName, id), _) = ArrayRows.ElementAt(_random.Next(ArrayRows.Count));
        var done = await WriteAsync<int?>(connection, $"delete own row {tableName}", $"DELETE FROM {tableName} WHERE id = @id",
            c => c.Parameters.AddWithValue("id", id), guardedTable: null, nonQuery: true);
        if (done is not null)
        {
            ArrayRows.Remove((tableName, id));
            DeletedArrayRows.Add((tableName, id));
        }
    }

    /// <summary>
    /// Runs one statement and judges its outcome. <paramref name="guardedTable"/>: the write is an
    /// orphan write to that table, which may be accepted only until its guard exists. Returns the
    /// scalar (or row count) when acknowledged, null when rejected.
    /// </summary>
    private async Task<T?> WriteAsync<T>(
        NpgsqlConnection connection, string kind, string sql, Action<NpgsqlCommand> bind, string? guardedTable,
        bool nonQuery = false, Action<PostgresException>? onRejected = null)
    {
        _sequence++;
        var doneBefore = migration.IsDone;
        await using var command = new NpgsqlCommand(sql, connection);
        bind(command);
        var clock = Stopwatch.StartNew();
        try
        {
            object? result = nonQuery ? await command.ExecuteNonQueryAsync() : await command.ExecuteScalarAsync();
            Time(clock, kind);
            if (result is 0)
            {
                // No such row (025 deleted it as an orphan): nothing was written.
                Count(kind + " (row gone)", accepted: true);
                return (T?)(object?)0;
            }

            Count(kind, accepted: true);
            if (guardedTable is not null && _guarded.Contains(guardedTable))
            {
                Violations.Add($"writer {number}: {kind} was accepted after an earlier orphan write to {guardedTable} had been rejected");
            }
            else if (guardedTable is not null && doneBefore)
            {
                Violations.Add($"writer {number}: {kind} was accepted after the migration had finished");
            }

            return (T?)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            Time(clock, kind);
            Count(kind, accepted: false);
            if (guardedTable is not null)
            {
                _guarded.Add(guardedTable);
            }
            else if (onRejected is not null)
            {
                onRejected(e);
            }
            else
            {
                Violations.Add($"writer {number}: a valid write was rejected: {kind}: {e.MessageText} {e.Detail}");
            }

            return default;
        }
        catch (PostgresException e)
        {
            Time(clock, kind);
            Violations.Add($"writer {number}: {kind} failed with SQLSTATE {e.SqlState}, not 23503: {e.MessageText}");
            return default;
        }
    }

    private void Time(Stopwatch clock, string kind)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        LatenciesMs.Add(ms);
        LongestByKind[kind] = Math.Max(ms, LongestByKind.GetValueOrDefault(kind));
        if (ms > Longest.Ms)
        {
            Longest = (ms, kind);
        }
    }

    private void Count(string kind, bool accepted)
    {
        var (a, r) = Outcomes.GetValueOrDefault(kind);
        Outcomes[kind] = accepted ? (a + 1, r) : (a, r + 1);
    }

    private string ValidUserId() =>
        Users.Count > 0 && _random.Next(3) == 0 ? Users.ElementAt(_random.Next(Users.Count)).Value : Pick(world.StableUsers).UserId;

    /// <summary>A user id no user has: a ghost, an empty string, or a case or whitespace variant of a real one.</summary>
    private string OrphanUserId() => _random.Next(4) switch
    {
        0 => "",
        1 => Pick(world.StableUsers).UserId.ToUpperInvariant(),
        2 => " " + Pick(world.StableUsers).UserId,
        _ => $"ghost_{number}_{_sequence}",
    };

    private long[] ArrayValue(ArrayTable table, bool orphan)
    {
        var valid = table.ReferencesUsers
            ? Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => Users.Count > 0 && _random.Next(3) == 0
                ? Users.ElementAt(_random.Next(Users.Count)).Key
                : Pick(world.StableUsers).Id)
            : Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => Pick(world.ConditionIds));
        return orphan ? [.. valid, 900_000_000_000L + (number * 1_000_000L) + _sequence] : [.. valid];
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
