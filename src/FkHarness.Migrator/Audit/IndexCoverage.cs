namespace FkHarness.Migrator.Audit;

/// <summary>Whether an FK column has an index that can serve its lookups.</summary>
public sealed record IndexCoverage(string TableName, string ColumnName, string? IndexName, bool HasIndex);
