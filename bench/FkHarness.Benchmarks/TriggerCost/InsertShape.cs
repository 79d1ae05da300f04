namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>
/// What is inserted: deployment_approvals with arrays of <see cref="IdsPerRow"/> user ids (checked
/// by 026's triggers), or a table of the same shape whose approved_by is one BIGINT (checked by a
/// native FK). <see cref="IdsPerRow"/> is also what "per id" divides by.
/// </summary>
internal sealed record InsertShape(string Table, int IdsPerRow, bool IsArray)
{
    public const string NativeTable = "bench_native_approvals";
    public const string NativeConstraint = "bench_native_approvals_approved_by_fkey";
    public const string InsertTrigger = "trg_check_deployment_approvals_approved_by_insert";

    public static InsertShape Array(int ids) => new("deployment_approvals", ids, IsArray: true);

    public static InsertShape Native { get; } = new(NativeTable, 1, IsArray: false);

    public string Name => IsArray ? $"array of {IdsPerRow}" : "native FK, scalar";

    /// <summary>SQL that turns the check on or off: 026's insert trigger, or the native FK.</summary>
    public string Switch(bool on) => (IsArray, on) switch
    {
        (true, true) => $"ALTER TABLE deployment_approvals ENABLE TRIGGER {InsertTrigger}",
        (true, false) => $"ALTER TABLE deployment_approvals DISABLE TRIGGER {InsertTrigger}",
        (false, true) => $"ALTER TABLE {NativeTable} DROP CONSTRAINT IF EXISTS {NativeConstraint}; ALTER TABLE {NativeTable} ADD CONSTRAINT {NativeConstraint} FOREIGN KEY (approved_by) REFERENCES users (id)",
        (false, false) => $"ALTER TABLE {NativeTable} DROP CONSTRAINT IF EXISTS {NativeConstraint}",
    };
}
