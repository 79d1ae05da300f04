using FkHarness.Benchmarks.Infrastructure;

namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>
/// One cell of scenario 3: a way of inserting a shape of row, measured with its check on and off,
/// once per repetition. Added cost = median with − median without, per row and per referenced id.
/// </summary>
internal sealed record CellResult(InsertMethod Method, InsertShape Shape, int Rows, IReadOnlyList<Measurement> With, IReadOnlyList<Measurement> Without)
{
    public double WallPerRowWith => PerRow(With.Select(m => m.Wall));

    public double WallPerRowWithout => PerRow(Without.Select(m => m.Wall));

    public double CpuPerRowWith => PerRow(With.Select(m => m.ServerCpu));

    public double CpuPerRowWithout => PerRow(Without.Select(m => m.ServerCpu));

    /// <summary>Added server CPU per referenced id, µs.</summary>
    public double AddedCpuPerId => (CpuPerRowWith - CpuPerRowWithout) / Shape.IdsPerRow;

    /// <summary>Added wall-clock time per referenced id, µs (noisier on a shared machine).</summary>
    public double AddedWallPerId => (WallPerRowWith - WallPerRowWithout) / Shape.IdsPerRow;

    private double PerRow(IEnumerable<TimeSpan> times) => Stats.Median(times).TotalMicroseconds / Rows;
}
