using Npgsql;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// Removes every row the writers added (any id above the table's largest when they started), so
/// that verify compares the migrated data with what was seeded and the rollback proof with the
/// snapshot: the traffic leaves the database as it found it. Array rows first, then the nine
/// tables, then users (which only the writers' rows could reference).
/// </summary>
internal static class TrafficCleanup
{
    public static async Task<IReadOnlyDictionary<string, int>> RunAsync(string connectionString, TrafficWorld world, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = TrafficOptions.ApplicationName,
        }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var removed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var table in TrafficTables.Arrays.Select(a => a.Name).Concat(TrafficTables.Text.Select(t => t.Name)).Append("users"))
        {
            await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE id > $1", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = world.MaxIdsAtStart[table] });
            var rows = await command.ExecuteNonQueryAsync(cancellationToken);
            if (rows > 0)
            {
                removed[table] = rows;
            }
        }

        return removed;
    }
}
