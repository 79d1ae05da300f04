using Npgsql;

namespace FkHarness.Tests.Infrastructure;

/// <summary>
/// An md5 of every row of every application table (schema public), ordered by primary key: two
/// equal snapshots mean the same rows with the same values.
/// </summary>
public static class TableChecksums
{
    public static async Task<IReadOnlyDictionary<string, string>> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var checksums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t.id)), '') FROM \"{table}\" AS t", connection);
            checksums[table] = (string)(await command.ExecuteScalarAsync())!;
        }

        return checksums;
    }
}
