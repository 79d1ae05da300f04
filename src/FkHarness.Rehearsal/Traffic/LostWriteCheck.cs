using Npgsql;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// After the migrations: every write the synthetic writers committed is still there, with the
/// value they last wrote, looked up by key (rows by table and id, users by id; a user they
/// deleted stays deleted). A migration that drops, rewrites or rolls back an application's
/// acknowledged write fails this.
/// </summary>
internal static class LostWriteCheck
{
    private const int Named = 10;

    public static async Task<LostWrites> RunAsync(string connectionString, TrafficLedger ledger, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = TrafficOptions.ApplicationName,
        }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var lost = new List<string>();
        var checkedCount = 0;
        foreach (var table in TrafficTables.Text)
        {
            var expected = ledger.TextRows.Where(r => r.Key.Table == table.Name && !ledger.Uncertain.Contains(r.Key)).ToDictionary(r => r.Key.Id, r => r.Value);
            var found = await ReadAsync(connection, $"SELECT id, {table.Column} FROM {table.Name} WHERE id = ANY($1)", expected.Keys, r => r.IsDBNull(1) ? null : r.GetString(1), cancellationToken);
            checkedCount += expected.Count;
            lost.AddRange(expected.Where(e => !found.TryGetValue(e.Key, out var value) || value != e.Value)
                .Select(e => $"{table.Name} #{e.Key}: wrote {table.Column} '{e.Value}', found {Describe(found, e.Key)}"));
        }

        foreach (var table in TrafficTables.Arrays)
        {
            var expected = ledger.ArrayRows.Where(r => r.Key.Table == table.Name && !ledger.Uncertain.Contains(r.Key)).ToDictionary(r => r.Key.Id, r => r.Value);
            var found = await ReadAsync(connection, $"SELECT id, {table.Column} FROM {table.Name} WHERE id = ANY($1)", expected.Keys, r => r.IsDBNull(1) ? null : r.GetFieldValue<long?[]>(1), cancellationToken);
            checkedCount += expected.Count;
            lost.AddRange(expected.Where(e => !found.TryGetValue(e.Key, out var value) || value is null || !value.SequenceEqual(e.Value.Select(v => (long?)v)))
                .Select(e => $"{table.Name} #{e.Key}: wrote {table.Column} {{{string.Join(',', e.Value)}}}, found {(found.TryGetValue(e.Key, out var v) ? v is null ? "NULL" : $"{{{string.Join(',', v)}}}" : "no row")}"));
        }

        var users = ledger.Users.Where(u => !ledger.Uncertain.Contains(("users", u.Key))).ToDictionary(u => u.Key, u => u.Value);
        var foundUsers = await ReadAsync(connection, "SELECT id, user_id FROM users WHERE id = ANY($1)", users.Keys, r => r.IsDBNull(1) ? null : r.GetString(1), cancellationToken);
        checkedCount += users.Count;
        lost.AddRange(users.Where(u => !foundUsers.TryGetValue(u.Key, out var value) || value != u.Value)
            .Select(u => $"users #{u.Key}: inserted user_id '{u.Value}', found {Describe(foundUsers, u.Key)}"));

        var deleted = ledger.DeletedUsers.Where(id => !ledger.Uncertain.Contains(("users", id))).ToList();
        var stillThere = await ReadAsync(connection, "SELECT id, user_id FROM users WHERE id = ANY($1)", deleted, r => r.IsDBNull(1) ? null : r.GetString(1), cancellationToken);
        checkedCount += deleted.Count;
        lost.AddRange(stillThere.Keys.Select(id => $"users #{id}: deleted, but there again"));

        return new LostWrites(checkedCount, ledger.Uncertain.Count, lost.Count, [.. lost.Take(Named)]);
    }

    private static string Describe(Dictionary<long, string?> found, long id) =>
        found.TryGetValue(id, out var value) ? value is null ? "NULL" : $"'{value}'" : "no row";

    private static async Task<Dictionary<long, T>> ReadAsync<T>(
        NpgsqlConnection connection, string sql, IEnumerable<long> ids, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<long, T>();
        var keys = ids.ToArray();
        if (keys.Length == 0)
        {
            return rows;
        }

        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = keys });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[reader.GetInt64(0)] = read(reader);
        }

        return rows;
    }
}
