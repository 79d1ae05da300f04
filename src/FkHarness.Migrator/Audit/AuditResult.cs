using FkHarness.Migrator.Errors;

namespace FkHarness.Migrator.Audit;

/// <summary>What 024 measured: orphans per relationship, the FK constraints, and index coverage.</summary>
public sealed record AuditResult
{
    public required bool Succeeded { get; init; }

    public IReadOnlyList<RelationshipAudit> Relationships { get; init; } = [];

    public IReadOnlyList<ConstraintAudit> Constraints { get; init; } = [];

    public IReadOnlyList<IndexCoverage> IndexCoverage { get; init; } = [];

    /// <summary>"host:port/database as user" the audit ran against (no password).</summary>
    public string? Database { get; init; }

    public DateTimeOffset? RanAt { get; init; }

    public MigratorError? Error { get; init; }

    public long TotalOrphans => Relationships.Sum(r => r.OrphanCount);
}
