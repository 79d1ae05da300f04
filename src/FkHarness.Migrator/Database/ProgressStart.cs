namespace FkHarness.Migrator.Database;

/// <summary>What <see cref="ProgressTable.StartAsync"/> found and made: undone by <see cref="ProgressTable.UndoStartAsync"/> when a failed script changed nothing.</summary>
internal sealed record ProgressStart(string ScriptName, bool HadRow, bool CreatedSchema, bool CreatedTable);
