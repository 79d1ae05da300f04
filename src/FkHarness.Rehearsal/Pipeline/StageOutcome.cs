namespace FkHarness.Rehearsal.Pipeline;

/// <summary>What a stage came to, as a value: a one-line summary, or the one-paragraph reason it failed.</summary>
internal sealed record StageOutcome
{
    public required StageStatus Status { get; init; }

    /// <summary>One line for the console and the report ("14,212 rows, 311 orphans planted").</summary>
    public string? Summary { get; init; }

    /// <summary>One paragraph a user can act on; never holds a password.</summary>
    public string? Error { get; init; }

    public FailureKind? FailureKind { get; init; }

    public static StageOutcome Succeeded(string summary) => new() { Status = StageStatus.Succeeded, Summary = summary };

    public static StageOutcome Skipped(string reason) => new() { Status = StageStatus.Skipped, Summary = reason };

    public static StageOutcome Failed(string error, FailureKind kind = Pipeline.FailureKind.Failed) =>
        new() { Status = StageStatus.Failed, Error = error, FailureKind = kind };

    public static StageOutcome Cancelled() => new() { Status = StageStatus.Cancelled, Error = "Cancelled (Ctrl+C)." };
}
