namespace FkHarness.Migrator.Scripts;

/// <summary>
/// An <c>NNN_title.up.sql</c> / <c>NNN_title.down.sql</c> pair, journaled by <see cref="Name"/>
/// (<c>NNN_title</c>) and ordered by its number.
/// </summary>
public sealed record Migration(int Number, string Version, string Name, MigrationScript Up, MigrationScript Down);
