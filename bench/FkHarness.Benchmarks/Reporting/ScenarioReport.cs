using FkHarness.Benchmarks.Infrastructure;

namespace FkHarness.Benchmarks.Reporting;

/// <summary>Everything one scenario run measured, ready to print and to put in docs/benchmarks.md.</summary>
internal sealed record ScenarioReport
{
    /// <summary>The scenario's command name, also its section marker in docs/benchmarks.md.</summary>
    public required string Key { get; init; }

    public required string Title { get; init; }

    /// <summary>The exact command that produced these figures.</summary>
    public required string Command { get; init; }

    public required string Scale { get; init; }

    public required MachineInfo Machine { get; init; }

    public required DateTimeOffset Date { get; init; }

    public required IReadOnlyList<ReportTable> Tables { get; init; }

    public IReadOnlyList<TargetResult> Targets { get; init; } = [];

    /// <summary>How it was measured and what the figures mean: methodology, not marketing.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
