using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// Reads the lock waits out of the server log, when the cluster runs with log_lock_waits on and a
/// deadlock_timeout of a millisecond (<see cref="Settings"/>): every wait longer than that is
/// logged by the server itself with the lock, the holders and the queue, and again with its length
/// when it is granted. Exact where polling pg_locks would miss waits shorter than its interval.
/// </summary>
internal static partial class LockWaitLog
{
    /// <summary>Server settings that make the server log every lock wait over a millisecond.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["log_lock_waits"] = "on",
        ["deadlock_timeout"] = "1ms",
        ["log_line_prefix"] = "%m [%p] %a: ",
    };

    /// <summary>The byte length of the log now: what a later <see cref="ReadSince"/> starts from.</summary>
    public static long Mark(string logPath) => File.Exists(logPath) ? new FileInfo(logPath).Length : 0;

    public static IReadOnlyList<LockWait> ReadSince(string logPath, long mark)
    {
        using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(mark, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var waits = new List<LockWait>();
        var open = new Dictionary<int, int>();
        LockWait? pending = null;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var prefix = Prefix().Match(line);
            if (!prefix.Success)
            {
                continue;
            }

            var pid = int.Parse(prefix.Groups["pid"].Value, CultureInfo.InvariantCulture);
            var message = prefix.Groups["message"].Value;
            if (Waiting().Match(message) is { Success: true } waiting)
            {
                Flush();
                pending = new LockWait
                {
                    Start = DateTime.Parse(prefix.Groups["time"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
                        - TimeSpan.FromMilliseconds(double.Parse(waiting.Groups["after"].Value, CultureInfo.InvariantCulture)),
                    WaiterPid = pid,
                    WaiterApplication = prefix.Groups["app"].Value,
                    Mode = waiting.Groups["mode"].Value,
                    Object = waiting.Groups["object"].Value,
                    Holders = [],
                    Queue = [],
                    Statement = "",
                };
            }
            else if (pending is not null && pid == pending.WaiterPid && Holding().Match(message) is { Success: true } holding)
            {
                pending = pending with { Holders = Pids(holding.Groups["holders"].Value), Queue = Pids(holding.Groups["queue"].Value) };
            }
            else if (pending is not null && pid == pending.WaiterPid && message.StartsWith("STATEMENT:  ", StringComparison.Ordinal))
            {
                pending = pending with { Statement = message["STATEMENT:  ".Length..] };
                Flush();
            }
            else if (Acquired().Match(message) is { Success: true } acquired && open.TryGetValue(pid, out var index))
            {
                Flush();
                waits[index] = waits[index] with { WaitedMilliseconds = double.Parse(acquired.Groups["after"].Value, CultureInfo.InvariantCulture) };
                open.Remove(pid);
            }
        }

        Flush();
        return waits;

        void Flush()
        {
            if (pending is null)
            {
                return;
            }

            open[pending.WaiterPid] = waits.Count;
            waits.Add(pending);
            pending = null;
        }
    }

    private static List<int> Pids(string list) =>
        list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) \w+ \[(?<pid>\d+)\] (?<app>[^:]*): (?<message>.*)$")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"^LOG:  process \d+ still waiting for (?<mode>\w+) on (?<object>.+) after (?<after>[\d.]+) ms$")]
    private static partial Regex Waiting();

    [GeneratedRegex(@"^DETAIL:  Process(?:es)? holding the lock: (?<holders>[\d, ]+)\. Wait queue: (?<queue>[\d, ]*)\.$")]
    private static partial Regex Holding();

    [GeneratedRegex(@"^LOG:  process \d+ acquired \w+ on .+ after (?<after>[\d.]+) ms$")]
    private static partial Regex Acquired();
}
