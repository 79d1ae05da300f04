namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>A top-level statement of the migration as pg_stat_activity showed it (server clock, UTC).</summary>
internal sealed record ProfiledStatement(int Pid, string Query, DateTime Start, DateTime End)
{
    public TimeSpan Duration => End - Start;
}
