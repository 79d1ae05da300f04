namespace FkHarness.Migrator.LockHolds;

/// <summary>What a statement does to the session's transaction state, read from its first words.</summary>
internal enum StatementKind
{
    /// <summary>Runs as a transaction of its own, or inside the open block.</summary>
    Plain,

    /// <summary>BEGIN / START TRANSACTION: opens a block.</summary>
    BeginsBlock,

    /// <summary>COMMIT / END / ROLLBACK / ABORT / PREPARE TRANSACTION: closes it.</summary>
    EndsBlock,

    /// <summary>CALL or DO: may COMMIT any number of times inside (025's procedures do, per relationship and batch).</summary>
    CommitsInside,
}
