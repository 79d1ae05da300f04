namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>Scenario 5's knobs; the defaults are what docs/benchmarks.md reports.</summary>
internal sealed record RehearsalBenchOptions
{
    public IReadOnlyList<double> Scales { get; init; } = [1, 10];

    /// <summary>Rehearsals per scale; medians are reported.</summary>
    public int Repetitions { get; init; } = 3;

    /// <summary>Rounds of the Aspire/in-process comparison at the default scale (after one warm-up round); medians are reported.</summary>
    public int ComparisonRepetitions { get; init; } = 5;
}
