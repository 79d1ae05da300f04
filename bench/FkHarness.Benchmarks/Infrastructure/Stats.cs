namespace FkHarness.Benchmarks.Infrastructure;

/// <summary>Medians and percentiles, nearest-rank, over what was measured.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    public static TimeSpan Median(IEnumerable<TimeSpan> values) => TimeSpan.FromTicks((long)Median(values.Select(v => (double)v.Ticks)));

    /// <summary>The nearest-rank percentile (p in 0–100); NaN for no values.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return PercentileOfSorted(sorted, p);
    }

    public static double PercentileOfSorted(IReadOnlyList<double> sorted, double p) => FkHarness.Rehearsal.Traffic.Percentile.OfSorted(sorted, p);
}
