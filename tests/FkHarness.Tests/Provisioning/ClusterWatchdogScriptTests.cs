using System.Diagnostics;
using FkHarness.Provisioning;

namespace FkHarness.Tests.Provisioning;

/// <summary>
/// The watchdog script on its own, with stand-ins: a <c>sleep</c> as the owner, another as the
/// server. What it must do when the owner dies half-way through its own clean-up.
/// </summary>
public sealed class ClusterWatchdogScriptTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task OwnerKilledAfterItStoppedTheServer_TheFolderIsStillRemoved()
    {
        var directory = Directory.CreateTempSubdirectory("fkh-watchdog-test-").FullName; // not "fkharness-*": the stale-folder sweeper deletes those
        using var owner = Process.Start("sleep", "600");
        // The stand-in server writes its pid, so the test can stop it as pg_ctl would.
        using var watchdog = Process.Start(new ProcessStartInfo("sh")
        {
            ArgumentList = { "-c", ClusterWatchdogScript.Text, "fkharness-watchdog", directory, owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "sh", "-c", "echo $$ > \"$0/server.pid\"; exec sleep 600", directory },
        })!;
        try
        {
            var serverPid = Path.Combine(directory, "server.pid");
            await Until(() => File.Exists(serverPid) && File.ReadAllText(serverPid).Trim().Length > 0, "the stand-in server to start");

            // The owner's DisposeAsync: the marker, then the server stopped; then it is killed before it deletes the folder.
            await File.WriteAllTextAsync(Path.Combine(directory, "stopping"), "stopped by its owner\n");
            Process.GetProcessById(int.Parse(File.ReadAllText(serverPid).Trim(), System.Globalization.CultureInfo.InvariantCulture)).Kill();
            // Before the marker, the script saw the server gone, found its owner alive, and left: give it the time to (a bounded wait, not a condition).
            await Task.WhenAny(watchdog.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(3)));
            owner.Kill();

            await Until(() => !Directory.Exists(directory), "the watchdog to remove the folder once the owner was gone");
        }
        finally
        {
            if (!owner.HasExited)
            {
                owner.Kill();
            }

            if (!watchdog.HasExited)
            {
                watchdog.Kill(entireProcessTree: true);
            }

            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.False(limit.IsCancellationRequested, $"Waited 60 s for {what}.");
            await Task.Delay(50);
        }
    }
}
