using Bogus;

namespace FkHarness.Seeder.Generation;

/// <summary>Picks that favour the front of a list, the way a few services and users dominate real activity.</summary>
internal static class Skewed
{
    /// <summary>An index in [0, count): <paramref name="skew"/> 1 is uniform, 2 puts ~30% in the first tenth, 3 ~45%.</summary>
    public static int Index(Randomizer random, int count, double skew) =>
        Math.Min(count - 1, (int)(count * Math.Pow(random.Double(), skew)));

    public static T Pick<T>(Randomizer random, IReadOnlyList<T> items, double skew) => items[Index(random, items.Count, skew)];

    /// <summary>A value between <paramref name="low"/> and <paramref name="high"/>, uniform on a log scale (sizes, durations).</summary>
    public static double LogUniform(Randomizer random, double low, double high) =>
        Math.Exp(Math.Log(low) + (random.Double() * (Math.Log(high) - Math.Log(low))));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public static bool Chance(Randomizer random, double p) => random.Double() < p;
}
