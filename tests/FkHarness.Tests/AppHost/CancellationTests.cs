using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>Ctrl+C in the middle of a rehearsal: the server stops, its folder goes, the report names the stage.</summary>
[Collection(AppHostTests.Name)]
public sealed class CancellationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CtrlC_DuringSeeding_TearsDown_AndReportsTheStage()
    {
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-cancel-").FullName;
        try
        {
            var interrupted = false;
            var run = await AppHostProcess.RunAsync(["--scale", "8", "--artifacts", artifacts], whileRunning: async (pid, printed) =>
            {
                if (await AppHostProcess.WaitForOutputAsync(printed, "stage seed: started", TimeSpan.FromMinutes(2)))
                {
                    // A large scale and a short pause: the seed must still be running when Ctrl+C lands, on a quiet machine too.
                    await Task.Delay(200);
                    await AppHostProcess.InterruptAsync(pid);
                    interrupted = true;
                }
            });
            output.WriteLine(run.Describe());

            Assert.True(interrupted, "the rehearsal never reached the seed stage");
            Assert.True(run.ExitCode == 130, run.Describe());
            Assert.Contains("stage seed: cancelled", run.Output);
            Assert.Contains("stage teardown: succeeded", run.Output);
            Assert.Empty(run.LeftoverClusterFolders);
            Assert.Empty(run.LeftoverServerProcesses);

            var report = AppHostRun.ReadReport(artifacts)["rehearsal"]!;
            Assert.True(report["cancelled"]!.GetValue<bool>());
            Assert.Equal("seed", report["failed_stage"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    [Fact]
    public async Task CtrlC_WhileTheTrafficWrites_StopsTheWriters_AndLeavesNothing()
    {
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-cancel-traffic-").FullName;
        var ready = Path.Combine(artifacts, "state", "traffic.ready");
        var result = Path.Combine(artifacts, "state", "traffic.json");
        try
        {
            var interrupted = false;
            var run = await AppHostProcess.RunAsync(["--scale", "0.1", "--traffic", "--artifacts", artifacts], whileRunning: async (pid, _) =>
            {
                // The traffic resource is ready once its before-window is over; it writes until told to stop, so Ctrl+C lands while it writes.
                var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
                while (!File.Exists(ready) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }

                if (File.Exists(ready))
                {
                    await AppHostProcess.InterruptAsync(pid);
                    interrupted = true;
                }
            });
            output.WriteLine(run.Describe());

            Assert.True(interrupted, "the traffic never became ready");
            Assert.True(run.ExitCode == 130, run.Describe());
            Assert.Empty(run.LeftoverClusterFolders);
            Assert.Empty(run.LeftoverServerProcesses);
            Assert.True(File.Exists(result), "the writers did not write state/traffic.json when stopped");
            Assert.Empty(LeftoverTrafficProcesses(artifacts));
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    /// <summary>Processes still running <c>--step traffic</c> for this run folder.</summary>
    private static List<string> LeftoverTrafficProcesses(string runFolder) =>
        [.. Directory.GetDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(c => c.Contains("--step traffic", StringComparison.Ordinal) && c.Contains(runFolder, StringComparison.Ordinal))];
}
