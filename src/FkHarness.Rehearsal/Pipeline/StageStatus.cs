namespace FkHarness.Rehearsal.Pipeline;

internal enum StageStatus
{
    Succeeded,

    /// <summary>Stopped the rehearsal: the work failed, or the input was bad (<see cref="FailureKind"/>).</summary>
    Failed,

    /// <summary>Not needed for this rehearsal (seed with --from-dump, for instance).</summary>
    Skipped,

    Cancelled,
}
