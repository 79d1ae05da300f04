namespace FkHarness.Benchmarks.TestIsolation;

/// <summary>The ways scenario 4 makes a fresh test database, as they appear in the report.</summary>
internal static class Labels
{
    public const string SeededClone = "seeded: clone of the seeded template, new admin connection per command (as the fixture did)";
    public const string SeededClonePooled = "seeded: clone of the seeded template, pooled admin connection";
    public const string SeededTaken = "seeded: taken from the clone pool, made ahead while the previous test ran (as the fixture now does)";
    public const string SeededBuild = "seeded: build (CREATE DATABASE, baseline via psql, seeder at scale 0.1)";
    public const string BaselineClone = "baseline: clone of the baseline template, new admin connection per command (as the fixture did)";
    public const string BaselineClonePooled = "baseline: clone of the baseline template, pooled admin connection";
    public const string BaselineTaken = "baseline: taken from the clone pool, made ahead while the previous test ran (as the fixture now does)";
    public const string BaselineBuild = "baseline: build (CREATE DATABASE, baseline via psql)";
}
