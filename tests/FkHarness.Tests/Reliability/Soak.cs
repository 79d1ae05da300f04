namespace FkHarness.Tests.Reliability;

/// <summary>
/// FKHARNESS_SOAK=1 turns the reliability tests into their long variants (a bigger database, more
/// kill points, migrators, writers and race iterations); the default keeps the suite short for CI.
/// </summary>
internal static class Soak
{
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("FKHARNESS_SOAK") is "1" or "true";

    public static int Pick(int normal, int soak) => Enabled ? soak : normal;

    public static double Pick(double normal, double soak) => Enabled ? soak : normal;

    public static TimeSpan Pick(TimeSpan normal, TimeSpan soak) => Enabled ? soak : normal;
}
