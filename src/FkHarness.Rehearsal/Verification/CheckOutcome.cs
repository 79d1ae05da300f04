namespace FkHarness.Rehearsal.Verification;

internal enum CheckOutcome
{
    Passed,
    Failed,

    /// <summary>Could not be run here (an empty table to copy a row from, no manifest with --from-dump).</summary>
    Skipped,
}
