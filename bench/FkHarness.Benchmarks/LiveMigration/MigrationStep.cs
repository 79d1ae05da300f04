namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>Names a migration statement by what it does, so that time can be summed per step.</summary>
internal static class MigrationStep
{
    public static string Of(string query)
    {
        var q = query.TrimStart();
        return q switch
        {
            _ when q.Contains("add_text_fks_not_valid", StringComparison.Ordinal) => "025: ADD CONSTRAINT … NOT VALID (9 transactions)",
            _ when q.Contains("quarantine_text_orphans", StringComparison.Ordinal) => "025: find orphans, quarantine and clean them (batches)",
            _ when q.StartsWith("CREATE INDEX CONCURRENTLY", StringComparison.OrdinalIgnoreCase) => "025: CREATE INDEX CONCURRENTLY",
            _ when q.Contains("validate_text_fks", StringComparison.Ordinal) => "025: VALIDATE CONSTRAINT",
            _ when q.StartsWith("LOCK TABLE", StringComparison.OrdinalIgnoreCase) => "literal: LOCK TABLE (waits for writers in flight)",
            _ when q.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) || q.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) => "literal: DELETE / UPDATE … NOT IN",
            _ when q.StartsWith("ALTER TABLE", StringComparison.OrdinalIgnoreCase) && q.Contains("FOREIGN KEY", StringComparison.Ordinal) => "literal: ADD CONSTRAINT (validating)",
            _ when q.StartsWith("CREATE INDEX", StringComparison.OrdinalIgnoreCase) => "literal: CREATE INDEX",
            _ => "other (migrator bookkeeping, preconditions, setup, commit)",
        };
    }
}
