using Npgsql;

namespace FkHarness.Rehearsal.Verification;

/// <summary>Reads what 025 put in fk_fix.quarantine: grouped for the report, and row by row for the manifest check.</summary>
internal static class QuarantineReader
{
    public const string Table = "fk_fix.quarantine";

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT to_regclass('{Table}') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<IReadOnlyList<QuarantineGroup>> GroupsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT table_name, column_name, action, reason_code, count(*),
                   (array_agg(DISTINCT reason ORDER BY reason))[1:3]
            FROM {Table}
            GROUP BY 1, 2, 3, 4
            ORDER BY 1, 2, 3, 4
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var groups = new List<QuarantineGroup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new QuarantineGroup(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4), reader.GetFieldValue<string[]>(5)));
        }

        return groups;
    }

    public static async Task<IReadOnlyList<QuarantinedRow>> RowsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT table_name, column_name, row_id, action, reason_code, old_value FROM {Table} ORDER BY 1, 2, 3", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<QuarantinedRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new QuarantinedRow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return rows;
    }
}
