namespace FkHarness.Tests.Reliability;

/// <summary>
/// Where a migration run is, as another session sees it: what its committed work shows (the
/// catalog, the quarantine, the journal) and what its session is doing right now.
/// </summary>
internal sealed record ProgressSnapshot(
    int TextForeignKeys,
    int ValidatedForeignKeys,
    long Quarantined,
    int TextIndexes,
    int ValidTextIndexes,
    int GinIndexes,
    int Triggers,
    int Journaled,
    string? ActiveStatement,
    string? IndexBuild)
{
    /// <summary>"fk 9/9 (3 validated), quarantine 1204, idx 4/5 valid, gin 0, trg 0, journal 0 | CREATE INDEX CONCURRENTLY … [building index]".</summary>
    public override string ToString() =>
        $"fk {TextForeignKeys} ({ValidatedForeignKeys} validated), quarantine {Quarantined}, idx {ValidTextIndexes}/{TextIndexes} valid, " +
        $"gin {GinIndexes}, trg {Triggers}, journal {Journaled}" +
        (ActiveStatement is null ? "" : $" | {ActiveStatement}") +
        (IndexBuild is null ? "" : $" [{IndexBuild}]");

    /// <summary>The kind of statement running, for the kill-point table: "CALL fk_fix.quarantine_text_orphans", "CREATE INDEX CONCURRENTLY idx_…", ….</summary>
    public string Activity => ActiveStatement is null ? "(between statements)" : ActiveStatement;
}
