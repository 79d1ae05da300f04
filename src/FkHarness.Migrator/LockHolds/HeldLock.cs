namespace FkHarness.Migrator.LockHolds;

/// <summary>One granted table lock as pg_locks shows it; the transaction's start tells apart the transactions of a CALL.</summary>
internal sealed record HeldLock(string Table, string Mode, DateTimeOffset? TransactionStart);
