namespace FkHarness.Rehearsal.Verification;

/// <summary>
/// The rows 025 quarantined for one relationship, action and reason code, with a few of its
/// reasons as examples: what the report shows under "what 025 deletes or nulls, and why".
/// </summary>
internal sealed record QuarantineGroup(string Table, string Column, string Action, string ReasonCode, long Rows, IReadOnlyList<string> Examples)
{
    public string Relationship => $"{Table}.{Column}";
}
