namespace FkHarness.Rehearsal.Traffic;

/// <summary>Nearest-rank percentiles over what was measured.</summary>
internal static class Percentile
{
    /// <summary>The nearest-rank percentile (p in 0–100) of values sorted ascending; NaN for none.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
