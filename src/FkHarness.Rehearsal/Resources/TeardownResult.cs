namespace FkHarness.Rehearsal.Resources;

/// <summary>What teardown did: a line for the summary, and how to connect when the database was kept.</summary>
internal sealed record TeardownResult(string Summary, KeptDatabase? Kept = null);
