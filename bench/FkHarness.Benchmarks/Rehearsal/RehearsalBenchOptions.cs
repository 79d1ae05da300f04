namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>Scenario 5's knobs; the defaults are what docs/benchmarks.md reports.</summary>
internal sealed record RehearsalBenchOptions
{
    public IReadOnlyList<double> Scales { get; init; } = [1, 10];

    /// <summary>Rehearsals per scale; medians are reported.</summary>
    public int Repetitions { get; init; } = 3;
}
