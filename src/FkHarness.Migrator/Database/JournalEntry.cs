namespace FkHarness.Migrator.Database;

/// <summary>A row of <c>fkharness.schema_versions</c>: a migration that was applied, with the checksum of its up script then.</summary>
public sealed record JournalEntry(string ScriptName, string Checksum, DateTimeOffset AppliedAt);
