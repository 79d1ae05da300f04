namespace FkHarness.Migrator;

/// <summary>
/// A table lock one step of a script held: which lock, on which table, from when and for how
/// long. A step is a transaction: a statement between BEGIN and COMMIT of the script, or one
/// transaction inside a statement that commits by itself (a procedure that COMMITs per
/// relationship, CREATE INDEX CONCURRENTLY).
/// </summary>
/// <param name="Script">The script's file name.</param>
/// <param name="Line">The script line of the statement that took the lock.</param>
/// <param name="Step">That statement (shortened to one line), with the transaction's number inside it when it commits more than once.</param>
/// <param name="Table">The table, schema-qualified where it is not on the search_path.</param>
/// <param name="Mode">PostgreSQL's name of the lock mode (<c>ShareRowExclusiveLock</c>, …).</param>
/// <param name="Started">When the lock was taken (at the latest).</param>
/// <param name="HeldFor">How long it was held, at most: exact to the statement for steps between BEGIN and COMMIT, within one sampling interval for the others.</param>
/// <param name="Sampled">True when seen by sampling pg_locks, false when read on the script's own session after each statement.</param>
public sealed record LockHold(string Script, int Line, string Step, string Table, string Mode, DateTimeOffset Started, TimeSpan HeldFor, bool Sampled)
{
    /// <summary>Whether the application's INSERT/UPDATE/DELETE on <see cref="Table"/> wait while this lock is held (ROW EXCLUSIVE conflicts with it).</summary>
    public bool BlocksWrites => Mode is "ShareLock" or "ShareRowExclusiveLock" or "ExclusiveLock" or "AccessExclusiveLock";

    /// <summary>Whether plain SELECTs on <see cref="Table"/> wait too.</summary>
    public bool BlocksReads => Mode is "AccessExclusiveLock";
}
