using FkHarness.Catalog;
using Npgsql;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// "Nothing lost": for each of 025's nine tables, the live rows with every nulled value put back
/// from the quarantine, plus the deleted rows kept whole in the quarantine, are exactly the rows
/// before the migration (same count, same hashes over every column). Holds at any instant a run can
/// be killed, not only at the end: each cleanup batch moves rows and their copies atomically.
/// </summary>
internal static class RowConservation
{
    public static IReadOnlyList<ForeignKeyFinding> Tables { get; } = [.. ForeignKeyCatalog.LoadEmbedded().TextForeignKeys];

    /// <summary>Per table, "rows:hash" of the rows as they are now (before a migration).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> BeforeAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            result[table.SourceTable] = await ScalarAsync(connection,
                $"SELECT {Digest("t")} FROM {table.SourceTable} AS t");
        }

        return result;
    }

    /// <summary>The same, rebuilt from the live rows and the quarantine; equal to <see cref="BeforeAsync"/> when nothing was lost.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReconstructedAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        var hasQuarantine = await ScalarAsync(connection, "SELECT (to_regclass('fk_fix.quarantine') IS NOT NULL)::text") == "true";
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            var (name, column) = (table.SourceTable, table.SourceColumn);
            // The quarantine keeps each column's text; jsonb_populate_record feeds it to the column's
            // input function, except for json/jsonb columns, whose saved text is parsed here instead.
            var jsonColumns = hasQuarantine
                ? await ScalarAsync(connection, $"""
                    SELECT coalesce(string_agg(format(' || jsonb_build_object(%L, (q.row_data ->> %L)::jsonb)', attname, attname), ''), '')
                    FROM pg_attribute
                    WHERE attrelid = '{name}'::regclass AND attnum > 0 AND NOT attisdropped AND atttypid IN ('json'::regtype, 'jsonb'::regtype)
                    """)
                : "";
            // Composite text of each row, rebuilt with jsonb_populate_record where 025 took something away.
            var sql = hasQuarantine
                ? $"""
                   SELECT {Digest("r")} FROM (
                       SELECT CASE WHEN q.row_id IS NULL THEN t ELSE jsonb_populate_record(t, jsonb_build_object('{column}', q.old_value)) END AS r
                       FROM {name} AS t
                       LEFT JOIN fk_fix.quarantine AS q
                         ON q.table_name = '{name}' AND q.column_name = '{column}' AND q.action = 'set_null' AND q.row_id = t.id
                       UNION ALL
                       SELECT jsonb_populate_record(NULL::{name}, q.row_data{jsonColumns})
                       FROM fk_fix.quarantine AS q WHERE q.table_name = '{name}' AND q.action = 'delete'
                   ) AS whole
                   """
                : $"SELECT {Digest("t")} FROM {name} AS t";
            result[name] = await ScalarAsync(connection, sql);
        }

        return result;
    }

    /// <summary>
    /// Row count and the sum of a 64-bit hash of each row's text (the id included): order-free, so
    /// no sort and no megabyte string as md5(string_agg(… ORDER BY …)) needs; seconds faster on
    /// 200,000 rows, and any changed, missing or extra row still changes it.
    /// </summary>
    public static string Digest(string row) =>
        $"count(*) || ':' || coalesce(sum(hashtextextended({row}::text, 0)::numeric), 0)";

    /// <summary>"" when the two agree; otherwise the tables that do not, with both sides.</summary>
    public static string Compare(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        string.Join("; ", before.Where(b => after.GetValueOrDefault(b.Key) != b.Value)
            .Select(b => $"{b.Key}: before {b.Value}, live+quarantine {after.GetValueOrDefault(b.Key)}"));

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<string> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
