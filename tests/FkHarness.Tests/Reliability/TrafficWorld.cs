using Npgsql;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// What the live-traffic writers may reference: seeded rows nobody deletes (users, deployments,
/// backups, alert conditions and groups), and how far each table's seeded ids go (the writers'
/// own rows come after). <see cref="MigrationDone"/> is set once `up` has exited 0: from then on
/// every orphan write must be rejected.
/// </summary>
internal sealed class TrafficWorld
{
    public required IReadOnlyList<(long Id, string UserId)> StableUsers { get; init; }
    public required IReadOnlyList<long> DeploymentIds { get; init; }
    public required IReadOnlyList<long> BackupIds { get; init; }
    public required IReadOnlyList<long> GroupIds { get; init; }
    public required IReadOnlyList<long> ConditionIds { get; init; }
    public required IReadOnlyDictionary<string, long> SeededMaxId { get; init; }

    private volatile bool _migrationDone;

    public bool MigrationDone => _migrationDone;

    public void MarkMigrationDone() => _migrationDone = true;

    public static async Task<TrafficWorld> ReadAsync(NpgsqlConnection connection)
    {
        var maxIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in TrafficTables.Text.Select(t => t.Name).Concat(TrafficTables.Arrays.Select(a => a.Name)).Append("users"))
        {
            maxIds[table] = (await ListAsync(connection, $"SELECT coalesce(max(id), 0) FROM {table}", r => r.GetInt64(0)))[0];
        }

        return new TrafficWorld
        {
            StableUsers = await ListAsync(connection,
                "SELECT id, user_id FROM users WHERE user_id ~ '^usr_[a-z0-9]+$' ORDER BY id LIMIT 40", r => (r.GetInt64(0), r.GetString(1))),
            DeploymentIds = await ListAsync(connection, "SELECT id FROM deployments ORDER BY id LIMIT 20", r => r.GetInt64(0)),
            BackupIds = await ListAsync(connection, "SELECT id FROM database_backups ORDER BY id LIMIT 20", r => r.GetInt64(0)),
            GroupIds = await ListAsync(connection, "SELECT id FROM alert_condition_groups ORDER BY id LIMIT 20", r => r.GetInt64(0)),
            ConditionIds = await ListAsync(connection, "SELECT id FROM alert_conditions ORDER BY id LIMIT 20", r => r.GetInt64(0)),
            SeededMaxId = maxIds,
        };
    }

    private static async Task<List<T>> ListAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
