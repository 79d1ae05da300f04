namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>One long write while a migration ran: how long, into which table, and the migration step running when it started.</summary>
internal sealed record StalledWrite(double Milliseconds, string Table, string Step);
