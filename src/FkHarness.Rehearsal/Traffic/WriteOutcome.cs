namespace FkHarness.Rehearsal.Traffic;

internal enum WriteOutcome : byte
{
    Committed,

    /// <summary>23503: the write carried an orphan and a constraint was there to refuse it.</summary>
    ForeignKeyViolation,

    /// <summary>Anything else: a writer must never see one.</summary>
    OtherError,
}
