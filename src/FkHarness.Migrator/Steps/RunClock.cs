using System.Diagnostics;

namespace FkHarness.Migrator.Steps;

/// <summary>One script run's clock: Stopwatch ticks (monotonic, what statements and steps are timed with) and the wall-clock moment they stand for.</summary>
internal sealed class RunClock
{
    private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow;
    private readonly long _originTicks = Stopwatch.GetTimestamp();

    public static long Now() => Stopwatch.GetTimestamp();

    public DateTimeOffset At(long ticks) => _origin + Stopwatch.GetElapsedTime(_originTicks, ticks);
}
