using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// The writers' statements that took the server itself longer than <see cref="ThresholdMilliseconds"/>
/// (log_min_duration_statement): with the client's own timing of a write, it tells a write the
/// server was slow to do from one the client side was slow to send or to read back.
/// </summary>
internal static partial class SlowWriteLog
{
    public const double ThresholdMilliseconds = 5;

    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["log_min_duration_statement"] = string.Create(CultureInfo.InvariantCulture, $"{ThresholdMilliseconds}ms"),
    };

    /// <summary>Each slow writer statement logged since <paramref name="mark"/>: its backend, when it ended (UTC), how long the server took.</summary>
    public static IReadOnlyList<(int Pid, DateTime End, double Milliseconds)> ReadSince(string logPath, long mark)
    {
        using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(mark, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var slow = new List<(int, DateTime, double)>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (Duration().Match(line) is { Success: true } match && match.Groups["app"].Value == StatementProfiler.WriterApplicationName)
            {
                slow.Add((int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture),
                    DateTime.Parse(match.Groups["time"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return slow;
    }

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) \w+ \[(?<pid>\d+)\] (?<app>[^:]*): LOG:  duration: (?<ms>[\d.]+) ms")]
    private static partial Regex Duration();
}
