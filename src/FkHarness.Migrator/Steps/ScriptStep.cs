namespace FkHarness.Migrator.Steps;

/// <summary>
/// One step of a script run: a step a procedure announced (<see cref="StepAnnouncement"/>: a NOT
/// VALID, a cleanup batch, a VALIDATE), or a DDL statement of the script itself (an index build, a
/// trigger). Times are <see cref="RunClock"/> ticks; <see cref="Locks"/> are the table locks it held,
/// as its announcement gave them (empty for statements: the lock-hold recorder reads those exactly).
/// </summary>
internal sealed record ScriptStep(
    string Step, string Table, string Column, string? Name, int? Batch, int Line, string Statement, long Start, long End,
    long? Rows, int? Attempts, IReadOnlyList<(uint Relation, string Mode)> Locks, bool Succeeded)
{
    /// <summary>How the step reads in a span's name and a lock hold's step: "NOT VALID error_logs.user_id", "cleanup batch 2 of error_logs.user_id", "trigger trg_… on approval_rules".</summary>
    public string Title => Step switch
    {
        "not_valid" => $"NOT VALID {Table}.{Column}",
        "cleanup_batch" => $"cleanup batch {Batch} of {Table}.{Column}",
        "validate" => $"VALIDATE {Table}.{Column}",
        "index_build" => $"index build {Name} on {Table}",
        "trigger" => $"trigger {Name} on {Table}",
        _ => $"{Step} {Table}.{Column}",
    };
}
