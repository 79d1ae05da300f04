namespace FkHarness.Benchmarks.Reporting;

/// <summary>A target of the issue, the figure measured against it, and whether it was met.</summary>
internal sealed record TargetResult(string Target, string Measured, bool Met);
