using Npgsql;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// What synthetic writers may reference: rows that existed before they started and that nobody
/// deletes while they run (users, deployments, backups, alert conditions and groups), and how far
/// each written table's ids went (the writers' own rows come after, which is how they are found again).
/// </summary>
internal sealed class TrafficWorld
{
    /// <summary>Existing users (id, user_id); seeded <c>usr_…</c> ids first, so variants of them (upper case, a leading space) are no user's.</summary>
    public required IReadOnlyList<(long Id, string UserId)> StableUsers { get; init; }
    public required IReadOnlyList<long> DeploymentIds { get; init; }
    public required IReadOnlyList<long> BackupIds { get; init; }
    public required IReadOnlyList<long> GroupIds { get; init; }
    public required IReadOnlyList<long> ConditionIds { get; init; }

    /// <summary>
    /// The first users.id the writers give their users (explicitly): above every user id and every id
    /// an array holds. A user inserted with the next id of the sequence could be one that orphan
    /// arrays already hold (a deleted user's id): it would bring those references back to life, and
    /// 026 would then refuse to delete it again.
    /// </summary>
    public required long FirstFreeUserId { get; init; }

    /// <summary>Per written table (and users), the largest id when the world was read.</summary>
    public required IReadOnlyDictionary<string, long> MaxIdsAtStart { get; init; }

    /// <summary>Every table a writer inserts into: the nine, the four array tables, and users.</summary>
    public static IEnumerable<string> WrittenTables =>
        TrafficTables.Text.Select(t => t.Name).Concat(TrafficTables.Arrays.Select(a => a.Name)).Append("users");

    public static async Task<TrafficWorld> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        var maxIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in WrittenTables)
        {
            maxIds[table] = (await ListAsync(connection, $"SELECT coalesce(max(id), 0) FROM {table}", r => r.GetInt64(0), cancellationToken))[0];
        }

        return new TrafficWorld
        {
            StableUsers = await ListAsync(connection,
                "SELECT id, user_id FROM users WHERE user_id IS NOT NULL ORDER BY user_id ~ '^usr_[a-z0-9]+$' DESC, id LIMIT 40",
                r => (r.GetInt64(0), r.GetString(1)), cancellationToken),
            DeploymentIds = await ListAsync(connection, "SELECT id FROM deployments ORDER BY id LIMIT 20", r => r.GetInt64(0), cancellationToken),
            BackupIds = await ListAsync(connection, "SELECT id FROM database_backups ORDER BY id LIMIT 20", r => r.GetInt64(0), cancellationToken),
            GroupIds = await ListAsync(connection, "SELECT id FROM alert_condition_groups ORDER BY id LIMIT 20", r => r.GetInt64(0), cancellationToken),
            ConditionIds = await ListAsync(connection, "SELECT id FROM alert_conditions ORDER BY id LIMIT 20", r => r.GetInt64(0), cancellationToken),
            MaxIdsAtStart = maxIds,
            FirstFreeUserId = 1 + (await ListAsync(connection,
                "SELECT greatest((SELECT coalesce(max(id), 0) FROM users), " + string.Join(", ", TrafficTables.Arrays.Where(a => a.ReferencesUsers)
                    .Select(a => $"(SELECT coalesce(max(e.id), 0) FROM {a.Name} CROSS JOIN LATERAL unnest({a.Name}.{a.Column}) AS e (id))")) + ")",
                r => r.GetInt64(0), cancellationToken))[0],
        };
    }

    private static async Task<List<T>> ListAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
