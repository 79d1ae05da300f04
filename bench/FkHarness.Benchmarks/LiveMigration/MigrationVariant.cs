namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>The ways of applying 025 that scenario 2 compares on identical copies.</summary>
internal enum MigrationVariant
{
    /// <summary>025 as shipped, through the migrator (DbUp, statement by statement, lock-timeout retries).</summary>
    Migration025,

    /// <summary>The plan's statements, one transaction, exactly as written.</summary>
    LiteralAsWritten,

    /// <summary>The same, each table locked before its cleanup so that it completes under traffic.</summary>
    LiteralLocked,
}
