using FkHarness.Catalog;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// The plan's 025 taken literally, for comparison: per relationship, clean up with NOT IN, add
/// the FK with validation, build the index without CONCURRENTLY — all in one transaction. Table
/// by table (cleanup, constraint, index), the order that leaves each table the shortest window
/// between its cleanup and its constraint.
/// </summary>
internal static class LiteralPlan
{
    /// <param name="catalog">The FK catalog: its nine TEXT relationships, in order.</param>
    /// <param name="lockFirst">
    /// Take the table's SHARE ROW EXCLUSIVE lock (the one ADD CONSTRAINT takes anyway) before its
    /// cleanup. Without it a writer can commit a new orphan between the cleanup and the ADD
    /// CONSTRAINT, whose validation then fails the whole transaction (23503) under live traffic.
    /// </param>
    public static IReadOnlyList<string> Statements(ForeignKeyCatalog catalog, bool lockFirst)
    {
        var statements = new List<string>();
        foreach (var finding in catalog.TextForeignKeys.OrderBy(f => f.Id))
        {
            var (table, column) = (finding.SourceTable, finding.SourceColumn);
            if (lockFirst)
            {
                statements.Add($"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE");
            }

            statements.Add(finding.Cleanup == "delete"
                ? $"DELETE FROM {table} WHERE {column} NOT IN (SELECT user_id FROM users)"
                : $"UPDATE {table} SET {column} = NULL WHERE {column} NOT IN (SELECT user_id FROM users)");
            statements.Add($"ALTER TABLE {table} ADD CONSTRAINT {finding.ConstraintName} FOREIGN KEY ({column}) REFERENCES users (user_id)");
            statements.Add($"CREATE INDEX {finding.IndexName} ON {table} ({column}) WHERE {column} IS NOT NULL");
        }

        return statements;
    }
}
