namespace FkHarness.Rehearsal.Traffic;

/// <summary>How hard and how long synthetic application writers write while the migrations run.</summary>
internal sealed record TrafficOptions
{
    public const int DefaultRate = 50;
    public const int MaxRate = 2000;
    public const string ApplicationName = "fkharness-traffic";

    /// <summary>Writes per second, all writers together (each paced at its share; a stalled writer does not catch up in a burst).</summary>
    public int Rate { get; init; } = DefaultRate;

    /// <summary>Concurrent connections, as an application's pool would have: four, fewer at a very low rate.</summary>
    public int Writers => Math.Clamp(Rate, 1, 4);

    /// <summary>The writers' first writes (connections, JIT, the server's caches): counted and checked, left out of the "before" latencies.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Writes before the first migration starts, after the warm-up: the "before" latencies.</summary>
    public TimeSpan BeforeWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Writes after the last migration, before the writers stop: every table guarded, so the invalid writes there must all be rejected.</summary>
    public TimeSpan AfterWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Share of writes that carry a user id (or array id) no row has, tried only once that table's FK or trigger exists.</summary>
    public double InvalidShare { get; init; } = 0.05;

    /// <summary>A write waiting for a lock longer than this fails (55P03): recorded as a stall, not a hang.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>No write runs longer than this (57014).</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>With --step traffic: the writers stop after this even if no stop file appears.</summary>
    public TimeSpan MaxRunTime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>"--traffic takes …" when the rate is out of range, else null.</summary>
    public static string? RateProblem(int rate) => rate is < 1 or > MaxRate
        ? $"--traffic takes the writers' total rate in writes per second, from 1 to {MaxRate}; got {rate}. Leave the number out for {DefaultRate}."
        : null;
}
