namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// What the synthetic writers did, as a value that outlives them: in the rehearsal's context, or
/// in <c>state/traffic.json</c> with --step traffic. Sample times are Stopwatch ticks from
/// <see cref="StartedAt"/>; <see cref="TrafficFigures"/> joins them with the stages' windows.
/// </summary>
internal sealed record TrafficResult
{
    public required int Rate { get; init; }
    public required int Writers { get; init; }
    public required double InvalidShare { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The end of the warm-up: the "before" window starts here.</summary>
    public required DateTimeOffset MeasuredFrom { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public required DateTimeOffset StoppedAt { get; init; }

    /// <summary>Stopwatch ticks per second on the machine that measured (sample times and durations are in ticks).</summary>
    public required long TicksPerSecond { get; init; }

    /// <summary>Stopped by Ctrl+C or a failed stage before the migrations ended: nothing was checked or removed.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Why the writers could not start or stop properly, or null.</summary>
    public string? Error { get; init; }

    public IReadOnlyList<string> Kinds { get; init; } = TrafficKinds.All;
    public IReadOnlyList<WriteSample> Samples { get; init; } = [];
    public IReadOnlyDictionary<string, int> FailuresBySqlState { get; init; } = new Dictionary<string, int>();
    public IReadOnlyList<TrafficError> Examples { get; init; } = [];
    public IReadOnlyList<string> Problems { get; init; } = [];
    public int InvalidTried { get; init; }

    /// <summary>The check against the database by key; null when it did not run.</summary>
    public LostWrites? LostWrites { get; init; }

    /// <summary>Rows the writers added and the clean-up removed, per table.</summary>
    public IReadOnlyDictionary<string, int> RowsRemoved { get; init; } = new Dictionary<string, int>();

    public DateTimeOffset At(long ticks) => StartedAt + TimeSpan.FromSeconds((double)ticks / TicksPerSecond);

    public double Milliseconds(long ticks) => ticks * 1000.0 / TicksPerSecond;
}
