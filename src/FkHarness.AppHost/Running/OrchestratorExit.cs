using System.Globalization;

namespace FkHarness.AppHost.Running;

/// <summary>
/// DCP (its API server watches this process: <c>dcp start-apiserver --monitor PID</c>) finishes
/// removing containers and networks a few seconds after the app stopped. The AppHost waits for it,
/// so that when it exits nothing it started is still running.
/// </summary>
internal static class OrchestratorExit
{
    public static async Task WaitAsync(TimeSpan limit)
    {
        var monitor = $"--monitor\0{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}\0";
        var orchestrators = Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _) && ReadCommandLine(name!).Contains(monitor, StringComparison.Ordinal))
            .ToList();
        var deadline = DateTime.UtcNow + limit;
        while (orchestrators.Any(pid => Directory.Exists($"/proc/{pid}") && !IsZombie(pid!)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    private static string ReadCommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static bool IsZombie(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
