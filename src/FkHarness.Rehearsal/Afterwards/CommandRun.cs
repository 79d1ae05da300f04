using System.Text.Json.Serialization;

namespace FkHarness.Rehearsal.Afterwards;

/// <summary>
/// One command run on fkdb after the rehearsal ended, as state/context.json and the report keep
/// it: when, how it ended, what the migrator did, and the database before and after it. Kept
/// apart from the rehearsal's stages and migration runs, which stay what the rehearsal did.
/// </summary>
internal sealed record CommandRun
{
    public required string Name { get; init; }

    public required string Title { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    public required CommandStatus Status { get; init; }

    /// <summary>What it did ("rolled back 026_…", "nothing to roll back: …", "failed: …").</summary>
    public required string Outcome { get; init; }

    /// <summary>One line: what it did and what fkdb holds now, for the dashboard's answer, the console and the report.</summary>
    public required string Summary { get; init; }

    public string? Error { get; init; }

    /// <summary>Migrations the command applied, oldest first (journal names).</summary>
    public IReadOnlyList<string> Applied { get; init; } = [];

    /// <summary>Migrations the command rolled back, newest first.</summary>
    public IReadOnlyList<string> RolledBack { get; init; } = [];

    /// <summary>Lock-timeout retries the migrator sat out.</summary>
    public int LockWaits { get; init; }

    public required DatabaseNow Before { get; init; }

    public required DatabaseNow After { get; init; }

    /// <summary>Rows and values 025 down put back from the quarantine.</summary>
    [JsonIgnore]
    public long RowsRestored => Math.Max(0, Before.QuarantinedRows - After.QuarantinedRows);

    /// <summary>Rows and values 025 up deleted or set to NULL, copied into the quarantine first.</summary>
    [JsonIgnore]
    public long RowsQuarantined => Math.Max(0, After.QuarantinedRows - Before.QuarantinedRows);
}
