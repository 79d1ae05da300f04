namespace FkHarness.Migrator.Database;

/// <summary>
/// A row of <c>fkharness.migrations_in_progress</c>: a migration whose up or down script was started
/// and has not finished (the run was killed, or failed after changing something).
/// </summary>
public sealed record ProgressEntry(string ScriptName, string Direction, DateTimeOffset StartedAt);
