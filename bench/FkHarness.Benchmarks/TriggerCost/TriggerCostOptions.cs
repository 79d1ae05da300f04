namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>Scenario 3's knobs; the defaults are what docs/benchmarks.md reports.</summary>
internal sealed record TriggerCostOptions
{
    /// <summary>Rows per bulk run (one COPY, or multi-row INSERTs of <see cref="RowsPerInsert"/>).</summary>
    public int BulkRows { get; init; } = 100_000;

    public int RowsPerInsert { get; init; } = 1_000;

    /// <summary>Rows per single-row run, split over <see cref="Clients"/> concurrent connections.</summary>
    public int SingleRows { get; init; } = 20_000;

    public int Clients { get; init; } = 4;

    public int Repetitions { get; init; } = 3;

    public int Users { get; init; } = 50_000;

    /// <summary>Unreferenced users deleted at once by the referenced-side guard measurement.</summary>
    public int GuardDeletes { get; init; } = 10_000;

    public IReadOnlyList<int> ArraySizes { get; init; } = [1, 3, 10];

    /// <summary>Count instructions with callgrind too (skipped, with a note, when valgrind is not installed).</summary>
    public bool Instructions { get; init; } = true;

    /// <summary>Only the instruction counts: no timed runs, no guard.</summary>
    public bool InstructionsOnly { get; init; }
}
