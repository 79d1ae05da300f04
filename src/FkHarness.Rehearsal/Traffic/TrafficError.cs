namespace FkHarness.Rehearsal.Traffic;

/// <summary>One failed traffic write: when, what was being written ("insert error_logs"), its SQLSTATE and the server's message.</summary>
internal sealed record TrafficError(DateTimeOffset At, string Kind, string SqlState, string Message);
