namespace FkHarness.Migrator.Audit;

/// <summary>A foreign key constraint present when 024 ran.</summary>
public sealed record ConstraintAudit(string TableName, string ConstraintName, string Definition, bool Validated);
