using System.Text.Json.Serialization;

namespace FkHarness.Catalog;

/// <summary>One row of the plan's findings table.</summary>
public sealed record ForeignKeyFinding
{
    public required int Id { get; init; }
    public required string SourceTable { get; init; }
    public required string SourceColumn { get; init; }
    public string? TargetTable { get; init; }
    public string? TargetColumn { get; init; }
    public required ForeignKeyKind Kind { get; init; }

    /// <summary>"delete", "set_null" or "none".</summary>
    public required string Cleanup { get; init; }

    /// <summary>"025", "026", or null for external ids.</summary>
    public string? Migration { get; init; }

    /// <summary>PostgreSQL's default FK name, <c>&lt;table&gt;_&lt;column&gt;_fkey</c>, for TEXT FKs.</summary>
    public string? ConstraintName { get; init; }

    /// <summary>The index 025 (partial) or 026 (GIN) creates on the column.</summary>
    public string? IndexName { get; init; }

    /// <summary>The triggers 026 puts on the column (<c>trg_check_*</c>).</summary>
    public IReadOnlyList<string> Triggers { get; init; } = [];

    /// <summary>The text 026's rejection message contains, for array FKs.</summary>
    public string? ErrorMessage { get; init; }

    public required string Issue { get; init; }

    [JsonIgnore]
    public bool IsTextForeignKey => Kind is ForeignKeyKind.TextFkRequired or ForeignKeyKind.TextFkNullable;

    [JsonIgnore]
    public bool IsArrayForeignKey => Kind == ForeignKeyKind.ArrayFk;

    /// <summary>"dashboard_widgets.user_id → users.user_id", for reports and messages.</summary>
    [JsonIgnore]
    public string Relationship => TargetTable is null
        ? $"{SourceTable}.{SourceColumn} (external id)"
        : $"{SourceTable}.{SourceColumn} → {TargetTable}.{TargetColumn}";
}
