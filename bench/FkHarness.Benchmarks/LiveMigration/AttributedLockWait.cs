namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// A lock wait with its waiter and holders named ("writer", or the migration step then running),
/// its object by name, and how many writers were queued behind it when it was logged.
/// </summary>
internal sealed record AttributedLockWait(LockWait Wait, string Waiter, string Object, IReadOnlyList<string> Holders, int WritersQueued);
