namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// One write of a live writer: when it started and how long it took (Stopwatch ticks), where, and
/// how it ended; and, of that time, how long its server backend was on a CPU and how long it was
/// runnable but waiting for one (microseconds, from the kernel; <see cref="Backend"/> is its pid): the
/// rest is sleeping (a lock, I/O) or the client's own side.
/// </summary>
internal readonly record struct WriteSample(long Start, long Duration, byte Target, WriteOutcome Outcome, int Backend, int BackendOnCpuMicroseconds, int BackendQueuedMicroseconds)
{
    public long End => Start + Duration;
}
