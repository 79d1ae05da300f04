namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// One lock wait the server logged (log_lock_waits): who waited, for which lock, behind whom, and
/// for how long (null when the run ended before the lock was granted, or the wait ended in an error).
/// </summary>
internal sealed record LockWait
{
    public required DateTime Start { get; init; }

    public required int WaiterPid { get; init; }

    public required string WaiterApplication { get; init; }

    /// <summary>"ShareRowExclusiveLock", "ShareLock"…</summary>
    public required string Mode { get; init; }

    /// <summary>"relation 16402 of database 16384", "virtual transaction 4/1234", "transaction 7890".</summary>
    public required string Object { get; init; }

    public required IReadOnlyList<int> Holders { get; init; }

    public required IReadOnlyList<int> Queue { get; init; }

    public required string Statement { get; init; }

    public double? WaitedMilliseconds { get; init; }
}
