using System.Text;
using Npgsql;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// Everything a migration run leaves behind that must not depend on how the run went: constraints
/// (and whether validated), indexes (and whether valid), triggers, the fk_fix routines and tables,
/// the quarantine's contents, every application table's rows (count and hashes), and the journal (names and
/// checksums, not times). Two equal end states mean two runs converged.
/// </summary>
internal sealed record EndState(IReadOnlyDictionary<string, IReadOnlyList<string>> Parts)
{
    private static readonly (string Name, string Sql)[] Queries =
    [
        ("schemas", "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1"),
        ("relations", """
            SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('public', 'fk_fix', 'fkharness') AND c.relkind IN ('r', 'i', 'v', 'm', 'p') ORDER BY 1
            """),
        ("constraints", """
            SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' validated=' || convalidated
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1
            """),
        ("indexes", """
            SELECT pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid || ' ready=' || i.indisready
            FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('public', 'fk_fix', 'fkharness') ORDER BY 1
            """),
        ("triggers", "SELECT pg_get_triggerdef(oid) || ' enabled=' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1"),
        ("routines", """
            SELECT p.oid::regprocedure || ' ' || md5(p.prosrc) FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
            WHERE n.nspname IN ('public', 'fk_fix', 'fkharness') ORDER BY 1
            """),
        ("quarantine", """
            SELECT CASE WHEN to_regclass('fk_fix.quarantine') IS NULL THEN '(no quarantine table)' ELSE
              (xpath('/row/c/text()', query_to_xml($q$
                  SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(
                      concat_ws('|', migration, relationship, table_name, column_name, row_id, action, reason_code, reason, old_value, row_data::text),
                      E'\n' ORDER BY table_name, column_name, row_id)), '-') AS c
                  FROM fk_fix.quarantine$q$, false, true, '')))[1]::text END
            """),
        ("journal", """
            SELECT CASE WHEN to_regclass('fkharness.schema_versions') IS NULL THEN '(no journal)' ELSE
              coalesce((xpath('/row/c/text()', query_to_xml(
                  'SELECT string_agg(script_name || '' '' || checksum, '', '' ORDER BY script_name) AS c FROM fkharness.schema_versions',
                  false, true, '')))[1]::text, '(empty journal)') END
            """),
    ];

    public static async Task<EndState> TakeAsync(string connectionString)
    {
        var parts = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var (name, sql) in Queries)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await using var reader = await command.ExecuteReaderAsync();
                var rows = new List<string>();
                while (await reader.ReadAsync())
                {
                    rows.Add(reader.IsDBNull(0) ? "<null>" : reader.GetString(0));
                }

                parts[name] = rows;
            }

            parts["rows"] = await RowsAsync(connection);
        }

        return new EndState(parts);
    }

    private static async Task<IReadOnlyList<string>> RowsAsync(NpgsqlConnection connection)
    {
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = new List<string>();
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand($"SELECT {RowConservation.Digest("t")} FROM \"{table}\" AS t", connection);
            rows.Add($"{table} {await command.ExecuteScalarAsync()}");
        }

        return rows;
    }

    /// <summary>Empty when equal; otherwise each part that differs, with the lines only one side has.</summary>
    public string Diff(EndState other)
    {
        var text = new StringBuilder();
        foreach (var name in Parts.Keys.Union(other.Parts.Keys).Order(StringComparer.Ordinal))
        {
            var mine = Parts.GetValueOrDefault(name) ?? [];
            var theirs = other.Parts.GetValueOrDefault(name) ?? [];
            if (mine.SequenceEqual(theirs))
            {
                continue;
            }

            text.AppendLine($"{name}:");
            foreach (var line in mine.Except(theirs).Take(10))
            {
                text.AppendLine($"  expected: {line}");
            }

            foreach (var line in theirs.Except(mine).Take(10))
            {
                text.AppendLine($"  actual:   {line}");
            }
        }

        return text.ToString();
    }
}
