namespace FkHarness.Migrator.Audit;

/// <summary>
/// 024's counts for one relationship of the catalog (<see cref="FindingId"/> is the finding's id).
/// Counts that do not apply to the relationship's kind (array counts for a TEXT FK) are null.
/// </summary>
public sealed record RelationshipAudit(
    int FindingId,
    string Relationship,
    string SourceTable,
    string SourceColumn,
    string Kind,
    long TotalRows,
    long? NullCount,
    long OrphanCount,
    long? EmptyStringCount,
    long? VariantCount,
    long? MissingCount,
    long? NullElementRows,
    long? InvalidElementCount);
