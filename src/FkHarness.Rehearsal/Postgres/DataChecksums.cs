using System.Collections.Concurrent;
using Npgsql;

namespace FkHarness.Rehearsal.Postgres;

/// <summary>
/// Per table of schema public: the row count and an md5 of every row in key order (by id when the
/// table has one, by the row's text otherwise). Equal checksums mean the same rows, same values.
/// Tables are checksummed a few at a time, biggest first, on connections of their own: each one
/// is a full scan and a sort that one core does alone.
/// </summary>
internal static class DataChecksums
{
    public static async Task<IReadOnlyDictionary<string, string>> TakeAsync(string connectionString, CancellationToken cancellationToken)
    {
        var tables = await ListTablesAsync(connectionString, cancellationToken);
        var checksums = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(tables, parallel, async (table, ct) =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            var order = table.HasId ? "t.id" : "t::text";
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY {order})), '') FROM public.\"{table.Name}\" AS t", connection);
            command.CommandTimeout = 0;
            checksums[table.Name] = (string)(await command.ExecuteScalarAsync(ct))!;
        });
        return new SortedDictionary<string, string>(checksums, StringComparer.Ordinal);
    }

    private static async Task<List<(string Name, bool HasId)>> ListTablesAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var list = new NpgsqlCommand(
            """
            SELECT c.relname,
                   EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped)
            FROM pg_class AS c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
            ORDER BY pg_relation_size(c.oid) DESC, 1
            """, connection);
        await using var reader = await list.ExecuteReaderAsync(cancellationToken);
        var tables = new List<(string, bool)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return tables;
    }
}
