namespace FkHarness.AppHost.Provisioning;

/// <summary>
/// Removes the cluster folders of runs that died without cleaning up (a SIGKILL of the whole
/// process tree, a power cut), so a second run after a crash starts clean. A folder belongs to a
/// dead run when the process named in its owner.pid no longer exists; folders left on purpose
/// with --keep are spared while their server still runs. Only folders named as a cluster's
/// (fkharness-&lt;owner pid&gt;-&lt;id&gt;) are considered: other fkharness-* temp folders (a test's
/// migrations, a manifest) are not ours to delete, and the pid in the name protects a folder
/// whose owner.pid is not written yet.
/// </summary>
internal static partial class StaleClusterSweeper
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
            var name = ClusterFolderName().Match(Path.GetFileName(directory));
            if (!name.Success)
            {
                continue;
            }

            var owner = ReadPid(Path.Combine(directory, "owner.pid")) ?? (int.TryParse(name.Groups[1].Value, out var fromName) ? fromName : null);
            if (IsAlive(owner))
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

    [System.Text.RegularExpressions.GeneratedRegex(@"^fkharness-(\d+)-\w+$")]
    private static partial System.Text.RegularExpressions.Regex ClusterFolderName();
}
