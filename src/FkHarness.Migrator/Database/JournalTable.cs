using Npgsql;

namespace FkHarness.Migrator.Database;

/// <summary>
/// The migration journal, <c>fkharness.schema_versions</c>. DbUp's own journal records names only;
/// this one records each up script's checksum too, so an applied script edited afterwards is drift.
/// </summary>
internal static class JournalTable
{
    public const string QualifiedName = "fkharness.schema_versions";

    public const string ExistsSql = "SELECT to_regclass('fkharness.schema_versions') IS NOT NULL";

    // Two statements, each a command of its own where DbUp runs them.
    public const string CreateSchemaSql = "CREATE SCHEMA IF NOT EXISTS fkharness";

    public const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS fkharness.schema_versions (
            script_name text PRIMARY KEY,
            checksum    text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """;

    public const string SelectSql = "SELECT script_name, checksum, applied_at FROM fkharness.schema_versions ORDER BY script_name";

    // A script rerun after a crash between its last COMMIT and this insert is journaled once.
    public const string InsertSql = "INSERT INTO fkharness.schema_versions (script_name, checksum) VALUES (@name, @checksum) ON CONFLICT (script_name) DO NOTHING";

    public const string DeleteSql = "DELETE FROM fkharness.schema_versions WHERE script_name = @name";

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ExistsSql, connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The applied migrations; none when the journal does not exist yet.</summary>
    public static async Task<IReadOnlyList<JournalEntry>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(connection, cancellationToken))
        {
            return [];
        }

        await using var command = new NpgsqlCommand(SelectSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new JournalEntry(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return entries;
    }

    public static async Task DeleteAsync(NpgsqlConnection connection, string scriptName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(DeleteSql, connection);
        command.Parameters.AddWithValue("name", scriptName);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
