using Npgsql;

namespace FkHarness.Migrator.Database;

/// <summary>
/// <c>fkharness.migrations_in_progress</c>: a row is written before a migration's up or down script
/// starts and removed once it has finished (with the journal row, for down). A row left behind is a
/// migration interrupted half-way: <c>down</c> undoes it (the down scripts are safe on a partly
/// applied migration), <c>up</c> finishes it, <c>status</c> shows it. Kept apart from the journal so
/// that journals written by earlier versions stay as they are, and DbUp's view (applied = journaled)
/// keeps its meaning.
/// </summary>
internal static class ProgressTable
{
    public const string Up = "up";

    public const string Down = "down";

    private const string ExistsSql = "SELECT to_regclass('fkharness.migrations_in_progress') IS NOT NULL";

    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS fkharness.migrations_in_progress (
            script_name text PRIMARY KEY,
            direction   text NOT NULL CHECK (direction IN ('up', 'down')),
            started_at  timestamptz NOT NULL DEFAULT now()
        )
        """;

    private const string UpsertSql = """
        INSERT INTO fkharness.migrations_in_progress (script_name, direction) VALUES (@name, @direction)
        ON CONFLICT (script_name) DO UPDATE SET direction = excluded.direction, started_at = now()
        RETURNING xmax::text <> '0'
        """;

    private const string DeleteSql = "DELETE FROM fkharness.migrations_in_progress WHERE script_name = @name";

    /// <summary>The interrupted migrations; none when the table does not exist.</summary>
    public static async Task<IReadOnlyList<ProgressEntry>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!await ScalarAsync<bool>(connection, ExistsSql, cancellationToken))
        {
            return [];
        }

        await using var command = new NpgsqlCommand("SELECT script_name, direction, started_at FROM fkharness.migrations_in_progress ORDER BY script_name", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<ProgressEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ProgressEntry(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return entries;
    }

    /// <summary>Records that <paramref name="scriptName"/>'s script in <paramref name="direction"/> is starting, creating the table (and schema) if needed.</summary>
    public static async Task<ProgressStart> StartAsync(NpgsqlConnection connection, string scriptName, string direction, CancellationToken cancellationToken)
    {
        var createdSchema = !await ScalarAsync<bool>(connection, "SELECT to_regnamespace('fkharness') IS NOT NULL", cancellationToken);
        var createdTable = !await ScalarAsync<bool>(connection, ExistsSql, cancellationToken);
        await ExecuteAsync(connection, JournalTable.CreateSchemaSql, cancellationToken);
        await ExecuteAsync(connection, CreateTableSql, cancellationToken);
        await using var command = new NpgsqlCommand(UpsertSql, connection);
        command.Parameters.AddWithValue("name", scriptName);
        command.Parameters.AddWithValue("direction", direction);
        var hadRow = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new ProgressStart(scriptName, hadRow, createdSchema, createdTable);
    }

    /// <summary>The script finished: its row goes (with its journal row too, after a down, in the same transaction).</summary>
    public static async Task FinishAsync(NpgsqlConnection connection, string scriptName, bool removeJournalRow, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // An up interrupted before its first script was journaled left no journal table.
        if (removeJournalRow && await JournalTable.ExistsAsync(connection, cancellationToken))
        {
            await JournalTable.DeleteAsync(connection, scriptName, cancellationToken);
        }

        await using (var command = new NpgsqlCommand(DeleteSql, connection))
        {
            command.Parameters.AddWithValue("name", scriptName);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A script failed having changed nothing: its row goes, and the table and schema too if this
    /// start created them and nothing else is in them, so the database is exactly as it was found.
    /// </summary>
    public static async Task UndoStartAsync(NpgsqlConnection connection, ProgressStart start, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(DeleteSql, connection))
        {
            command.Parameters.AddWithValue("name", start.ScriptName);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (start.CreatedTable && !await ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT FROM fkharness.migrations_in_progress)", cancellationToken))
        {
            await ExecuteAsync(connection, "DROP TABLE fkharness.migrations_in_progress", cancellationToken);
        }

        if (start.CreatedSchema && !await ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT FROM pg_class WHERE relnamespace = 'fkharness'::regnamespace)", cancellationToken))
        {
            await ExecuteAsync(connection, "DROP SCHEMA fkharness", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
