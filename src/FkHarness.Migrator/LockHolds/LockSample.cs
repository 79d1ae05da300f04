namespace FkHarness.Migrator.LockHolds;

/// <summary>One look at pg_locks for the script's session, taken at some moment between <see cref="Sent"/> and <see cref="Received"/> (ticks of the run's clock).</summary>
internal sealed record LockSample(int Statement, long Sent, long Received, IReadOnlyList<HeldLock> Locks);
