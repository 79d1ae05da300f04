using FkHarness.Seeder.Generation;
using Npgsql;

namespace FkHarness.Seeder.Safety;

/// <summary>
/// Compares the columns the generators write with the database's: a missing table or column, a
/// different type or nullability is reported up front in words, instead of as a COPY error halfway.
/// </summary>
internal sealed class SchemaExpectation(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    public async Task<IReadOnlyList<string>> FindMismatchesAsync(IReadOnlyList<ISeedTable> tables, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT table_name, column_name, udt_name, is_nullable = 'YES'
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = ANY(@tables)
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("tables", tables.Select(t => t.Name).ToArray());
        var actual = new Dictionary<(string Table, string Column), (string Type, bool Nullable)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                actual[(reader.GetString(0), reader.GetString(1))] = (reader.GetString(2), reader.GetBoolean(3));
            }
        }

        var present = actual.Keys.Select(k => k.Table).ToHashSet();
        if (present.Count == 0)
        {
            return [$"none of its {tables.Count} application tables exist (run the migrator's `baseline` command first)"];
        }

        var problems = new List<string>();
        foreach (var table in tables)
        {
            if (!present.Contains(table.Name))
            {
                problems.Add($"table public.{table.Name} is missing");
                continue;
            }

            foreach (var column in table.Columns)
            {
                if (!actual.TryGetValue((table.Name, column.Name), out var found))
                {
                    problems.Add($"column {table.Name}.{column.Name} is missing");
                }
                else if (found.Type != column.PostgresType)
                {
                    problems.Add($"column {table.Name}.{column.Name} is {found.Type}, expected {column.PostgresType}");
                }
                else if (found.Nullable != column.Nullable)
                {
                    problems.Add($"column {table.Name}.{column.Name} is {(found.Nullable ? "nullable" : "NOT NULL")}, expected {(column.Nullable ? "nullable" : "NOT NULL")}");
                }
            }
        }

        return problems;
    }
}
