using Npgsql;

namespace FkHarness.Tests.Infrastructure;

/// <summary>Reads a query's first column as text: what most assertions on names and rows compare.</summary>
public static class SqlColumn
{
    /// <summary>The first column of every row, in the order the query returns them, on a connection of its own.</summary>
    public static async Task<List<string>> ReadAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
