namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// One long write while a migration ran: how long, into which table, the migration step running
/// when it started, how much of it the writer's backend spent on a CPU and waiting for one, and how
/// long the server itself took (null: under <see cref="SlowWriteLog.ThresholdMilliseconds"/>, not logged).
/// </summary>
internal sealed record StalledWrite(double Milliseconds, string Table, string Step, double BackendOnCpuMilliseconds, double BackendQueuedMilliseconds, double? ServerMilliseconds);
