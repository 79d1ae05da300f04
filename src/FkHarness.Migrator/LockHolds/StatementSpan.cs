namespace FkHarness.Migrator.LockHolds;

/// <summary>When one statement of the script ran (ticks of the run's clock), and whether it ran inside the script's own BEGIN … COMMIT.</summary>
internal sealed record StatementSpan(int Index, int Line, string Label, StatementKind Kind, bool InBlock, long Start)
{
    public long? End { get; set; }

    /// <summary>The table when the statement is a CREATE INDEX CONCURRENTLY.</summary>
    public string? IndexBuildTable { get; init; }
}
