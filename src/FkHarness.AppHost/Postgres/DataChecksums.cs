using Npgsql;

namespace FkHarness.AppHost.Postgres;

/// <summary>
/// Per table of schema public: the row count and an md5 of every row in key order (by id when the
/// table has one, by the row's text otherwise). Equal checksums mean the same rows, same values.
/// </summary>
public static class DataChecksums
{
    public static async Task<IReadOnlyDictionary<string, string>> TakeAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var tables = new List<(string Name, bool HasId)>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT c.relname,
                   EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped)
            FROM pg_class AS c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
            ORDER BY 1
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add((reader.GetString(0), reader.GetBoolean(1)));
            }
        }

        var checksums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, hasId) in tables)
        {
            var order = hasId ? "t.id" : "t::text";
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY {order})), '') FROM public.\"{name}\" AS t", connection);
            command.CommandTimeout = 0;
            checksums[name] = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        return checksums;
    }
}
