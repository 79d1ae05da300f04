namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>One write of a live writer: when it started and how long it took (Stopwatch ticks), where, and how it ended.</summary>
internal readonly record struct WriteSample(long Start, long Duration, byte Target, WriteOutcome Outcome)
{
    public long End => Start + Duration;
}
