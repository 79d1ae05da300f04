namespace FkHarness.Provisioning;

/// <summary>
/// Removes the cluster folders of runs that died without cleaning up (a SIGKILL of the whole
/// process tree, a power cut), so a second run after a crash starts clean. A folder belongs to a
/// dead run when the process named in its owner.pid no longer exists; folders left on purpose
/// with --keep are spared while their server still runs.
/// </summary>
internal static class StaleClusterSweeper
{
    public const string Prefix = "fkharness-";

    public static void Sweep(string parentDirectory)
    {
        if (!Directory.Exists(parentDirectory))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(parentDirectory, Prefix + "*"))
        {
            // Only folders this class's clusters made (they hold owner.pid) are ours to judge;
            // anything else that merely shares the prefix is left alone.
            // A folder whose delete was cut short may have lost owner.pid but kept data/: its
            // name, fkharness-<owner pid>-<8 hex digits>, still says whose it was.
            var owner = ReadPid(Path.Combine(directory, "owner.pid")) ?? OwnerFromName(directory);
            if (owner is null || IsAlive(owner))
            {
                continue;
            }

            if (File.Exists(Path.Combine(directory, "keep")) && IsAlive(ReadPid(Path.Combine(directory, "data", "postmaster.pid"))))
            {
                continue;
            }

            StopServer(directory);
            TryDelete(directory);
        }
    }

    private static int? OwnerFromName(string directory)
    {
        var parts = Path.GetFileName(directory)[Prefix.Length..].Split('-');
        return parts.Length == 2 && parts[1].Length == 8 && parts[1].All(char.IsAsciiHexDigitLower)
            && System.IO.Directory.Exists(Path.Combine(directory, "data"))
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                ? pid
                : null;
    }

    private static void StopServer(string directory)
    {
        var pid = ReadPid(Path.Combine(directory, "data", "postmaster.pid"));
        if (!IsAlive(pid))
        {
            return;
        }

        try
        {
            // Immediate shutdown: this server's owner is gone and its data is throwaway.
            using var process = System.Diagnostics.Process.GetProcessById(pid!.Value);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone meanwhile, or not ours to stop: leave it, the folder delete below may still work.
        }
    }

    private static int? ReadPid(string file)
    {
        try
        {
            var firstLine = File.ReadLines(file).FirstOrDefault();
            return int.TryParse(firstLine, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int? pid) => pid is > 0 && Directory.Exists($"/proc/{pid}");

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
