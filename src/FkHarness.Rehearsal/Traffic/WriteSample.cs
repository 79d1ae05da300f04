using System.Text.Json.Serialization;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// One write of a live writer: when it started and how long it took (Stopwatch ticks), where, and
/// how it ended; and, of that time, how long its server backend was on a CPU and how long it was
/// runnable but waiting for one (microseconds, from the kernel; <see cref="Backend"/> is its pid): the
/// rest is sleeping (a lock, I/O) or the client's own side.
/// The three backend figures are the live-025 benchmark's (0 where not measured, as in --traffic),
/// and are not written to the run's state.
/// </summary>
internal readonly record struct WriteSample(long Start, long Duration, byte Target, WriteOutcome Outcome,
    [property: JsonIgnore] int Backend = 0, [property: JsonIgnore] int BackendOnCpuMicroseconds = 0, [property: JsonIgnore] int BackendQueuedMicroseconds = 0)
{
    [JsonIgnore]
    public long End => Start + Duration;
}
