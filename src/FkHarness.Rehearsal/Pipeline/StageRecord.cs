namespace FkHarness.Rehearsal.Pipeline;

/// <summary>One stage as it ran: its name, how it ended, when it started and how long it took.</summary>
internal sealed record StageRecord(string Name, StageOutcome Outcome, TimeSpan Duration)
{
    public StageStatus Status => Outcome.Status;

    /// <summary>When the stage started (UTC): with <see cref="Duration"/>, the window anything measured alongside (traffic) is read against.</summary>
    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt => StartedAt + Duration;
}
