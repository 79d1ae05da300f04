namespace FkHarness.Migrator.Sql;

/// <summary>One statement of a script, as psql would send it, and the line of the script it starts on.</summary>
public sealed record SqlStatement(string Text, int Line);
