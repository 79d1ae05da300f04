namespace FkHarness.Rehearsal.Pipeline;

/// <summary>One stage as it ran: its name, how it ended and how long it took.</summary>
internal sealed record StageRecord(string Name, StageOutcome Outcome, TimeSpan Duration)
{
    public StageStatus Status => Outcome.Status;
}
