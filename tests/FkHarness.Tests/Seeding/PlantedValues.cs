using FkHarness.Seeder.Manifest;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Seeding;

/// <summary>Reads what the database holds now for a finding's planted rows, in the manifest's text form.</summary>
internal static class PlantedValues
{
    /// <summary>Row id → the column as text (arrays as <c>{1,NULL}</c>, SQL NULL as null); deleted rows are absent.</summary>
    public static async Task<IReadOnlyDictionary<long, string?>> ReadAsync(TestDatabase database, ManifestFinding finding)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT id, {finding.SourceColumn}::text FROM {finding.SourceTable} WHERE id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", finding.Planted.Select(p => p.Id).ToArray());
        var values = new Dictionary<long, string?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values[reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        return values;
    }

    /// <summary>Ids of the rows that are orphans by the audit's definitions, computed independently of 024.</summary>
    public static async Task<IReadOnlyList<long>> OrphanIdsAsync(TestDatabase database, ManifestFinding finding)
    {
        var sql = finding.Kind switch
        {
            FkHarness.Catalog.ForeignKeyKind.TextFkRequired or FkHarness.Catalog.ForeignKeyKind.TextFkNullable => $"""
                SELECT t.id FROM {finding.SourceTable} AS t
                WHERE t.{finding.SourceColumn} IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM users AS u WHERE u.user_id = t.{finding.SourceColumn})
                ORDER BY t.id
                """,
            FkHarness.Catalog.ForeignKeyKind.ArrayFk => $"""
                SELECT t.id FROM {finding.SourceTable} AS t
                WHERE EXISTS (SELECT 1 FROM unnest(t.{finding.SourceColumn}) AS e (id)
                              WHERE e.id IS NULL
                                 OR NOT EXISTS (SELECT 1 FROM {(finding.SourceColumn == "condition_ids" ? "alert_conditions" : "users")} AS x WHERE x.id = e.id))
                ORDER BY t.id
                """,
            _ => "SELECT NULL::bigint WHERE false",
        };
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
