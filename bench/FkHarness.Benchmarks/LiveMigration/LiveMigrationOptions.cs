namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>Scenario 2's knobs; the defaults are what docs/benchmarks.md reports.</summary>
internal sealed record LiveMigrationOptions
{
    /// <summary>1 = 20,000 users and 1.23 million rows across the nine TEXT-FK tables.</summary>
    public double Scale { get; init; } = 1;

    public int Writers { get; init; } = 4;

    /// <summary>Writes per second per writer (paced; a stalled writer does not catch up in a burst).</summary>
    public int WritesPerSecond { get; init; } = 200;

    /// <summary>Share of writes into the nine tables that carry a user_id no user has.</summary>
    public double OrphanWriteRate { get; init; } = 0.02;

    public int Repetitions { get; init; } = 3;


    /// <summary>Writers alone before each migration: the "before" latencies.</summary>
    public TimeSpan Before { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on one migration run, so a run never hangs the benchmark.</summary>
    public TimeSpan MigrationTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public int Users => (int)Math.Clamp(20_000 * Scale, 10_000, 50_000);

    /// <summary>Rows of the nine tables, before the writers add theirs.</summary>
    public long Rows => (long)(LiveData.RowsAtScaleOne * Scale);
}
