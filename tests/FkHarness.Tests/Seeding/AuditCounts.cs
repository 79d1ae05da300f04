using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Seeding;

/// <summary>One row of 024's per-relationship result set.</summary>
internal sealed record AuditCounts(
    int FindingId, long TotalRows, long NullCount, long OrphanCount, long EmptyStringCount, long VariantCount,
    long MissingCount, long NullElementRows)
{
    /// <summary>Runs 024 as shipped and reads its second result set (orphans per relationship).</summary>
    public static async Task<IReadOnlyDictionary<int, AuditCounts>> ReadAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(MigrationFiles.Audit), connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.NextResultAsync(), "024 returned fewer than two result sets");
        var counts = new Dictionary<int, AuditCounts>();
        while (await reader.ReadAsync())
        {
            var row = new AuditCounts(
                reader.GetInt32(reader.GetOrdinal("finding_id")),
                reader.GetInt64(reader.GetOrdinal("total_rows")),
                reader.GetInt64(reader.GetOrdinal("null_count")),
                reader.GetInt64(reader.GetOrdinal("orphan_count")),
                reader.GetInt64(reader.GetOrdinal("empty_string_count")),
                reader.GetInt64(reader.GetOrdinal("variant_count")),
                reader.GetInt64(reader.GetOrdinal("missing_count")),
                reader.GetInt64(reader.GetOrdinal("null_element_rows")));
            counts[row.FindingId] = row;
        }

        return counts;
    }
}
