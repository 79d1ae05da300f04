namespace FkHarness.Benchmarks.TestIsolation;

/// <summary>Scenario 4's knobs; the defaults are what docs/benchmarks.md reports.</summary>
internal sealed record TestIsolationOptions
{
    /// <summary>Fresh databases made each way; medians are reported.</summary>
    public int Repetitions { get; init; } = 7;

    /// <summary>Also run the whole test suite once and time it (minutes).</summary>
    public bool DotnetTest { get; init; }
}
