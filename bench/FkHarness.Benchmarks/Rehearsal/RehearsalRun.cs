namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>One rehearsal as the AppHost reported it: seconds per stage, and the process's own wall time.</summary>
internal sealed record RehearsalRun(double Scale, IReadOnlyList<(string Stage, double Seconds)> Stages, TimeSpan ProcessWall)
{
    public double StageSeconds => Stages.Sum(s => s.Seconds);
}
