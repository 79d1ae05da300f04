namespace FkHarness.Migrator;

/// <summary>
/// One migration as <c>status</c> sees it. <see cref="Drifted"/>: applied, but its up script's
/// text changed since. <see cref="FileMissing"/>: in the journal, but not in the folder.
/// </summary>
public sealed record MigrationState(string Name, string Version, bool Applied, DateTimeOffset? AppliedAt, bool Drifted, bool FileMissing)
{
    /// <summary>"up" or "down" when that script was started and did not finish (killed, or failed after changing something); then not <see cref="Applied"/>.</summary>
    public string? InterruptedDuring { get; init; }

    public DateTimeOffset? InterruptedAt { get; init; }
}
