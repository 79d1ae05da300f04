namespace FkHarness.Rehearsal.Traffic;

/// <summary>The longest write: when it started, how long it took, what it wrote ("update error_logs"), during which migration, and the migration's lock on that table then (null if none was measured).</summary>
internal sealed record TrafficStall(DateTimeOffset At, double Ms, string Kind, string During, WriteOutcome Outcome, string? HeldBy);
