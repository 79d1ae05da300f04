using System.Globalization;
using System.Runtime.InteropServices;

namespace FkHarness.Benchmarks.Infrastructure;

/// <summary>What the figures were measured on, and how busy it was (the machine is shared).</summary>
internal sealed record MachineInfo(int Cores, double MemoryGiB, string Os, string PostgresVersion, string LoadBefore, string LoadAfter)
{
    public static MachineInfo Capture(string postgresVersion, string loadBefore) => new(
        Environment.ProcessorCount,
        TotalMemoryGiB(),
        RuntimeInformation.OSDescription,
        postgresVersion,
        loadBefore,
        LoadAverage());

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double TotalMemoryGiB()
    {
        if (!File.Exists("/proc/meminfo"))
        {
            return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        }

        var total = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kilobytes = long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kilobytes / (1024.0 * 1024);
    }
}
