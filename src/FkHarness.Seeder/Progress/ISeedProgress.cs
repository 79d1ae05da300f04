namespace FkHarness.Seeder.Progress;

/// <summary>Where the seeder reports as it goes. Called from the loading task; implementations must be cheap.</summary>
public interface ISeedProgress
{
    void TableStarted(string table, long expectedRows);

    /// <summary>Called per batch with the table's running total.</summary>
    void RowsWritten(string table, long rowsSoFar);

    void TableFinished(TableLoad load);

    /// <summary>A step after the tables (sequences, statistics, commit).</summary>
    void StepStarted(string description);

    /// <summary>The load is committed.</summary>
    void Completed(SeedResult result);
}
