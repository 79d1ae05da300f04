using System.Text.Json.Serialization;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>One write of a live writer: when it started and how long it took (Stopwatch ticks), where, and how it ended.</summary>
internal readonly record struct WriteSample(long Start, long Duration, byte Target, WriteOutcome Outcome)
{
    [JsonIgnore]
    public long End => Start + Duration;
}
