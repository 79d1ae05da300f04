namespace FkHarness.Rehearsal.Pipeline;

/// <summary>One stage as it ran: its name, how it ended, how long it took and when it started (UTC).</summary>
internal sealed record StageRecord(string Name, StageOutcome Outcome, TimeSpan Duration, DateTimeOffset StartedAt)
{
    public StageStatus Status => Outcome.Status;

    public DateTimeOffset EndedAt => StartedAt + Duration;
}
