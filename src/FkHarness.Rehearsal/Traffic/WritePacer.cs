using System.Diagnostics;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// Paces one writer at a steady rate. A write blocked behind a lock is one long sample: the writer
/// sends nothing more meanwhile, and does not burst to catch up afterwards (the pace restarts from
/// when the write got through), as an application with one connection would.
/// </summary>
internal sealed class WritePacer(double writesPerSecond)
{
    private readonly long _interval = (long)(Stopwatch.Frequency / writesPerSecond);
    private long _next = Stopwatch.GetTimestamp();

    /// <summary>Waits until the next write is due; false once <paramref name="stop"/> is cancelled.</summary>
    public async Task<bool> WaitAsync(CancellationToken stop)
    {
        var wait = _next - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency), stop);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return !stop.IsCancellationRequested;
    }

    /// <summary>The write that just ended at <paramref name="end"/> (a Stopwatch timestamp): the next is due one interval later, never earlier than now.</summary>
    public void Wrote(long end) => _next = Math.Max(_next + _interval, end);
}
