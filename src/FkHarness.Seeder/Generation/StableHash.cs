namespace FkHarness.Seeder.Generation;

/// <summary>
/// SplitMix64 and FNV-1a: hashing that is the same on every run and every machine
/// (<see cref="string.GetHashCode()"/> is randomised per process, so it cannot derive seeds).
/// </summary>
internal static class StableHash
{
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Of(ulong a, ulong b) => Mix(a ^ Mix(b));

    public static ulong Of(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return Mix(hash);
    }

    /// <summary>A 31-bit seed for one named stream (a table, a finding) under the run's seed.</summary>
    public static int SeedFor(int runSeed, string stream) =>
        (int)(Of((ulong)(uint)runSeed, Of(stream)) & 0x7FFF_FFFF);

    /// <summary>A uniform double in [0, 1) from a hash.</summary>
    public static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));
}
