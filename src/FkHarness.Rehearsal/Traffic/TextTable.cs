namespace FkHarness.Rehearsal.Traffic;

/// <summary>One of 025's nine tables as the application writes it: an insert with the user column as @v, and an update of another column.</summary>
internal sealed record TextTable(string Name, string Column, bool OrphansAreDeleted, string InsertSql, string TouchSql);
