using System.Diagnostics;
using System.Globalization;

namespace FkHarness.Provisioning;

/// <summary>
/// A shell script, in a session of its own (so a terminal's Ctrl+C does not end it first), that
/// cleans up a run's folder once this process is gone, whatever way it ended (SIGKILL included).
/// The script gets the folder as $1 and this process's id as $2.
/// </summary>
internal sealed class FolderWatchdog : IDisposable
{
    private readonly Process process;

    private FolderWatchdog(Process process) => this.process = process;

    /// <param name="script">The shell script; $1 is the folder, $2 this process's id.</param>
    /// <param name="directory">The folder it cleans up.</param>
    /// <param name="what">What the folder is, for the error if the watchdog cannot start ("cluster folder").</param>
    public static FolderWatchdog Start(string script, string directory, string what)
    {
        var startInfo = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "sh", "-c", script, "fkharness-watchdog", directory, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
        {
            startInfo.ArgumentList.Add(argument);
        }

        return new FolderWatchdog(Process.Start(startInfo) ?? throw new ProvisioningException($"Could not start the {what}'s watchdog."));
    }

    /// <summary>Deletes the folder (what cannot be deleted is left to the stale-folder sweep), then ends the watchdog: its work is done.</summary>
    public static void RemoveFolder(string directory, FolderWatchdog? watchdog)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        watchdog?.Dispose();
    }

    public void Dispose()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }

        process.Dispose();
    }
}
