using System.Globalization;
using Npgsql;

namespace FkHarness.Benchmarks.Infrastructure;

/// <summary>
/// CPU time a server backend has used, read from the kernel (/proc/PID/schedstat, nanoseconds).
/// The machine these benchmarks run on is shared and busy: wall-clock differences of tens of
/// microseconds per statement drown in scheduling noise, the CPU the backend itself burned does
/// not. The server runs on this machine (a throwaway cluster), so its PIDs are ours to read.
/// </summary>
internal static class BackendCpu
{
    public static bool IsAvailable => File.Exists($"/proc/{Environment.ProcessId}/schedstat");

    public static async Task<int> PidAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Total CPU time of the processes, or zero where the kernel does not tell.</summary>
    public static TimeSpan Read(IEnumerable<int> pids)
    {
        long nanoseconds = 0;
        foreach (var pid in pids)
        {
            try
            {
                var fields = File.ReadAllText($"/proc/{pid}/schedstat").Split(' ');
                nanoseconds += long.Parse(fields[0], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        return TimeSpan.FromTicks(nanoseconds / 100);
    }

    public static TimeSpan Read(int pid) => Read([pid]);

    /// <summary>
    /// A process's time on a CPU and time runnable but waiting for one (the run queue), in
    /// nanoseconds, from /proc/PID/schedstat; zeros where the kernel does not tell.
    /// </summary>
    public static (long OnCpu, long Queued) Schedule(int pid)
    {
        try
        {
            var fields = File.ReadAllText($"/proc/{pid}/schedstat").Split(' ');
            return (long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }
}
