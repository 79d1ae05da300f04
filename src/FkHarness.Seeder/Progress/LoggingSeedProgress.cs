using Microsoft.Extensions.Logging;

namespace FkHarness.Seeder.Progress;

/// <summary>Plain log lines, one per table and step: for CI logs and redirected output.</summary>
public sealed class LoggingSeedProgress(ILogger logger) : ISeedProgress
{
    public void TableStarted(string table, long expectedRows) =>
        logger.LogDebug("Seeding {Table} (~{ExpectedRows:N0} rows)", table, expectedRows);

    public void RowsWritten(string table, long rowsSoFar)
    {
    }

    public void TableFinished(TableLoad load) =>
        logger.LogInformation("Seeded {Table}: {Rows:N0} rows in {Seconds:F2} s ({RowsPerSecond:N0} rows/s)",
            load.Table, load.Rows, load.Elapsed.TotalSeconds, load.RowsPerSecond);

    public void StepStarted(string description) => logger.LogInformation("{Step}", description);

    public void Completed(SeedResult result) =>
        logger.LogDebug("Committed {Rows:N0} rows", result.TotalRows);
}
