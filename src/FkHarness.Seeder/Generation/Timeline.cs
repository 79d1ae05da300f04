namespace FkHarness.Seeder.Generation;

/// <summary>
/// The eighteen months the seeded platform has been running. Fixed dates, never the clock:
/// the same seed must give byte-identical tables on any day.
/// </summary>
internal static class Timeline
{
    public static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime End = new(2025, 6, 30, 0, 0, 0, DateTimeKind.Utc);

    // Cumulative activity ~ t^(1/0.7): the last month is about twice as busy as the first.
    private const double GrowthExponent = 0.7;

    public static TimeSpan Span => End - Start;

    /// <summary>The instant at <paramref name="fraction"/> (0..1) of the way through, to the microsecond PostgreSQL keeps.</summary>
    public static DateTime At(double fraction) =>
        Truncate(Start.AddTicks((long)(Span.Ticks * Math.Clamp(fraction, 0, 1))));

    /// <summary>
    /// Where row <paramref name="id"/> (1-based) of <paramref name="count"/> in a time-ordered table
    /// falls on the timeline, as a fraction: monotone in the id, jittered, and denser towards the end,
    /// because a growing platform does more each month than the month before.
    /// </summary>
    public static double ActivityFraction(long id, long count, ulong tableKey)
    {
        var linear = (id - 1 + StableHash.Unit(StableHash.Of(tableKey, (ulong)id))) / count;
        return Math.Pow(linear, GrowthExponent);
    }

    /// <summary>The instant of row <paramref name="id"/> of <paramref name="count"/>: see <see cref="ActivityFraction"/>.</summary>
    public static DateTime Activity(long id, long count, ulong tableKey) => At(ActivityFraction(id, count, tableKey));

    /// <summary><paramref name="time"/> plus <paramref name="delay"/>, never past <see cref="End"/>.</summary>
    public static DateTime Later(DateTime time, TimeSpan delay)
    {
        var later = time + delay;
        return Truncate(later > End ? End : later);
    }

    /// <summary><paramref name="time"/> minus <paramref name="delay"/>, never before <see cref="Start"/>.</summary>
    public static DateTime Earlier(DateTime time, TimeSpan delay)
    {
        var earlier = time - delay;
        return Truncate(earlier < Start ? Start : earlier);
    }

    // timestamptz keeps microseconds; dropping the last tick digit keeps what we write equal to what we read.
    private static DateTime Truncate(DateTime time) => new(time.Ticks - (time.Ticks % 10), DateTimeKind.Utc);
}
