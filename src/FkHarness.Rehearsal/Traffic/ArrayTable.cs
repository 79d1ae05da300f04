namespace FkHarness.Rehearsal.Traffic;

/// <summary>One of 026's four array columns as the application writes it: an insert with the array as @arr.</summary>
internal sealed record ArrayTable(string Name, string Column, bool ReferencesUsers, string InsertSql);
