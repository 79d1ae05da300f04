using System.Data.Common;

namespace FkHarness.Migrator.Audit;

/// <summary>
/// Sorts 024's result sets by their column names (it returns several, in an order that may change)
/// and reads the three it knows; others are left alone.
/// </summary>
internal sealed class AuditResultSetReader
{
    public List<RelationshipAudit> Relationships { get; } = [];

    public List<ConstraintAudit> Constraints { get; } = [];

    public List<IndexCoverage> IndexCoverage { get; } = [];

    /// <summary>Reads the reader's current result set; false when its shape is not one of the three.</summary>
    public async Task<bool> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Action<DbDataReader>? read =
            columns.IsSupersetOf(["finding_id", "orphan_count"]) ? ReadRelationship
            : columns.IsSupersetOf(["constraint_name", "definition"]) ? ReadConstraint
            : columns.IsSupersetOf(["column_name", "has_index"]) ? ReadIndexCoverage
            : null;
        if (read is null)
        {
            return false;
        }

        while (await reader.ReadAsync(cancellationToken))
        {
            read(reader);
        }

        return true;
    }

    private void ReadRelationship(DbDataReader r)
    {
        Relationships.Add(new RelationshipAudit(
            (int)Int(r, "finding_id")!.Value,
            Text(r, "relationship") ?? "",
            Text(r, "source_table") ?? "",
            Text(r, "source_column") ?? "",
            Text(r, "kind") ?? "",
            Int(r, "total_rows") ?? 0,
            Int(r, "null_count"),
            Int(r, "orphan_count") ?? 0,
            Int(r, "empty_string_count"),
            Int(r, "variant_count"),
            Int(r, "missing_count"),
            Int(r, "null_element_rows"),
            Int(r, "invalid_element_count")));
    }

    private void ReadConstraint(DbDataReader r)
    {
        Constraints.Add(new ConstraintAudit(
            Text(r, "table_name") ?? "", Text(r, "constraint_name") ?? "", Text(r, "definition") ?? "", Bool(r, "validated") ?? false));
    }

    private void ReadIndexCoverage(DbDataReader r)
    {
        IndexCoverage.Add(new IndexCoverage(
            Text(r, "table_name") ?? "", Text(r, "column_name") ?? "", Text(r, "index_name"), Bool(r, "has_index") ?? false));
    }

    private static int? Ordinal(DbDataReader r, string name)
    {
        for (var i = 0; i < r.FieldCount; i++)
        {
            if (string.Equals(r.GetName(i), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return null;
    }

    private static object? Value(DbDataReader r, string name) =>
        Ordinal(r, name) is { } i && !r.IsDBNull(i) ? r.GetValue(i) : null;

    // Counts may come as int, bigint or numeric depending on how 024 computes them.
    private static long? Int(DbDataReader r, string name) =>
        Value(r, name) is { } v ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static string? Text(DbDataReader r, string name) => Value(r, name)?.ToString();

    private static bool? Bool(DbDataReader r, string name) => Value(r, name) switch
    {
        null => null,
        bool b => b,
        string s => s is "t" or "true" or "yes",
        var v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) != 0,
    };
}
