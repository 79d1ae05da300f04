namespace FkHarness.Rehearsal.Verification;

/// <summary>One row of fk_fix.quarantine, the columns the manifest can be compared with.</summary>
internal sealed record QuarantinedRow(string Table, string Column, long RowId, string Action, string ReasonCode, string? OldValue);
