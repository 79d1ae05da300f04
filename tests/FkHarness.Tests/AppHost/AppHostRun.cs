using System.Text.Json.Nodes;

namespace FkHarness.Tests.AppHost;

/// <summary>
/// One finished AppHost process: exit code, what it printed, its process id (which names its
/// cluster folder) and the working folder it ran in (./artifacts without --artifacts), removed on dispose.
/// </summary>
internal sealed record AppHostRun(int ExitCode, string Output, string Error, int ProcessId, string WorkingDirectory) : IDisposable
{
    public string All => Output + Error;

    /// <summary>The cluster folders this process created that still exist (fkharness-&lt;pid&gt;-*): none once it ended, whatever happened.</summary>
    public IReadOnlyList<string> LeftoverClusterFolders =>
        Directory.GetDirectories(Path.GetTempPath(), $"fkharness-{ProcessId}-*");

    /// <summary>Processes (the server above all) still running out of one of this run's cluster folders.</summary>
    public IReadOnlyList<int> LeftoverServerProcesses =>
        [.. Directory.GetDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Dir: d))
            .Where(p => p.Pid > 0 && ReadCommandLine(p.Dir).Contains($"fkharness-{ProcessId}-", StringComparison.Ordinal))
            .Select(p => p.Pid)];

    public static JsonObject ReadReport(string artifacts) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(artifacts, "FK_AUDIT_REPORT.json")))!.AsObject();

    public void Dispose()
    {
        if (Directory.Exists(WorkingDirectory))
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
    }

    public string Describe() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";

    private static string ReadCommandLine(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
