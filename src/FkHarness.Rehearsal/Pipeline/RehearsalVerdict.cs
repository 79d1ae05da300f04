namespace FkHarness.Rehearsal.Pipeline;

/// <summary>How a rehearsal ended, read from its stage records.</summary>
internal sealed record RehearsalVerdict(bool Succeeded, bool Cancelled, StageRecord? FailedStage)
{
    public static RehearsalVerdict From(IReadOnlyList<StageRecord> stages)
    {
        var cancelled = stages.FirstOrDefault(s => s.Status == StageStatus.Cancelled);
        var failed = stages.FirstOrDefault(s => s.Status == StageStatus.Failed);
        return new RehearsalVerdict(cancelled is null && failed is null, cancelled is not null, cancelled ?? failed);
    }

    /// <summary>"succeeded", "cancelled at seed", "failed at migrate 025".</summary>
    public string Describe() =>
        Succeeded ? "succeeded" : Cancelled ? $"cancelled at stage '{FailedStage!.Name}'" : $"failed at stage '{FailedStage!.Name}'";
}
