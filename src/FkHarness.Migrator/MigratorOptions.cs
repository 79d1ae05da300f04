namespace FkHarness.Migrator;

/// <summary>How the migrator runs; the defaults are what the command line uses.</summary>
public sealed record MigratorOptions
{
    /// <summary>The migration set's folder; null = the <c>migrations</c> folder shipped beside the migrator.</summary>
    public string? MigrationsDirectory { get; init; }

    /// <summary>How many times a script that hit its lock_timeout (55P03) is rerun before the run fails.</summary>
    public int LockTimeoutRetries { get; init; } = 5;

    /// <summary>The wait before the first rerun; doubled before each next one.</summary>
    public TimeSpan LockRetryInitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan LockRetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for another migrator (the advisory lock) before giving up.</summary>
    public TimeSpan MigratorLockTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Client-side limit per statement; null = none (VALIDATE on a big table may take long; the scripts bound their lock waits themselves).</summary>
    public TimeSpan? CommandTimeout { get; init; }

    /// <summary>
    /// Measure the table locks each step holds (<see cref="MigrationRunResult.LockHolds"/>): the
    /// script's session reads its own locks after each statement inside BEGIN … COMMIT, and a side
    /// session samples pg_locks at this interval while a statement that commits by itself runs.
    /// Null = off (the default: on a busy production server, reading pg_locks every few
    /// milliseconds costs the lock manager something; the rehearsal turns it on).
    /// </summary>
    public TimeSpan? LockHoldSampling { get; init; }
}
