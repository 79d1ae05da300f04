namespace FkHarness.Seeder.Progress;

public sealed class NullSeedProgress : ISeedProgress
{
    public static NullSeedProgress Instance { get; } = new();

    public void TableStarted(string table, long expectedRows)
    {
    }

    public void RowsWritten(string table, long rowsSoFar)
    {
    }

    public void TableFinished(TableLoad load)
    {
    }

    public void StepStarted(string description)
    {
    }

    public void Completed(SeedResult result)
    {
    }
}
