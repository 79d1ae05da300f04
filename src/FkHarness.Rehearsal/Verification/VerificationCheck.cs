namespace FkHarness.Rehearsal.Verification;

/// <summary>One promise of the plan, checked on the migrated database.</summary>
/// <param name="Category">constraints, orphans, quarantine, untouched, triggers.</param>
/// <param name="Name">What was checked, readable on its own ("error_logs_user_id_fkey present and validated").</param>
/// <param name="Outcome">Passed, failed, or skipped when it could not be tried here.</param>
/// <param name="Detail">What was seen; for a failure, what differs.</param>
internal sealed record VerificationCheck(string Category, string Name, CheckOutcome Outcome, string Detail)
{
    public static VerificationCheck Pass(string category, string name, string detail) => new(category, name, CheckOutcome.Passed, detail);

    public static VerificationCheck Fail(string category, string name, string detail) => new(category, name, CheckOutcome.Failed, detail);

    public static VerificationCheck Skip(string category, string name, string detail) => new(category, name, CheckOutcome.Skipped, detail);

    public static VerificationCheck Expect(bool holds, string category, string name, string detail) =>
        new(category, name, holds ? CheckOutcome.Passed : CheckOutcome.Failed, detail);
}
