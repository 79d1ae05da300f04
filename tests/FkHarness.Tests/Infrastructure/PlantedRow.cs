using FkHarness.Catalog;

namespace FkHarness.Tests.Infrastructure;

/// <summary>A row a test planted, and what 025 must do to it.</summary>
public sealed record PlantedRow(ForeignKeyFinding Finding, long Id, string? Value, string ExpectedAction, string? ReasonCode);
