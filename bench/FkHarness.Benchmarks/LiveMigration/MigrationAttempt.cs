namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>How one migration run ended: its time, and the error that stopped it, if any.</summary>
internal sealed record MigrationAttempt(TimeSpan Elapsed, string? Error, int LockTimeoutRetries)
{
    public bool Succeeded => Error is null;
}
