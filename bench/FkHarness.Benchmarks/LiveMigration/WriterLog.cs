using System.Diagnostics;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Rehearsal.Traffic;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>Every write of a run, ordered by start, and what the writers saw in a window of it.</summary>
internal sealed record WriterLog(IReadOnlyList<WriteSample> Samples, string? FirstOtherError)
{
    /// <summary>Latencies of the writes that started in [from, to), in milliseconds, sorted.</summary>
    public double[] LatenciesStartedIn(long from, long to) =>
        Samples.Where(s => s.Start >= from && s.Start < to).Select(s => Milliseconds(s.Duration)).Order().ToArray();

    /// <summary>The longest write that was in flight at any time in [from, to): the longest stall a writer saw.</summary>
    public double LongestOverlapping(long from, long to) =>
        Samples.Where(s => s.Start < to && s.End > from).Select(s => Milliseconds(s.Duration)).DefaultIfEmpty(0).Max();

    public int Count(WriteOutcome outcome, long from, long to) =>
        Samples.Count(s => s.Outcome == outcome && s.Start >= from && s.Start < to);

    public static double P99(double[] sorted) => Stats.PercentileOfSorted(sorted, 99);

    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
