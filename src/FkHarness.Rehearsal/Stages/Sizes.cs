using System.Globalization;

namespace FkHarness.Rehearsal.Stages;

internal static class Sizes
{
    public static string Describe(long bytes) => bytes switch
    {
        >= 1 << 30 => (bytes / (double)(1 << 30)).ToString("0.0 GB", CultureInfo.InvariantCulture),
        >= 1 << 20 => (bytes / (double)(1 << 20)).ToString("0.0 MB", CultureInfo.InvariantCulture),
        >= 1 << 10 => (bytes / 1024.0).ToString("0 kB", CultureInfo.InvariantCulture),
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}
