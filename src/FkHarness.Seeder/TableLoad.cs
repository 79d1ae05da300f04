namespace FkHarness.Seeder;

/// <summary>One table's load: rows copied and the time from its COPY's start to its end.</summary>
public sealed record TableLoad(string Table, long Rows, TimeSpan Elapsed)
{
    public double RowsPerSecond => Rows / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
