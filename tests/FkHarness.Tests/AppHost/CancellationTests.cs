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
    public async Task CtrlC_WhileTheTrafficWrites_StopsTheWriters_AndReportsThemStoppedEarly()
    {
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-cancel-traffic-").FullName;
        try
        {
            var interrupted = false;
            var run = await AppHostProcess.RunAsync(["--scale", "0.1", "--traffic", "--artifacts", artifacts], whileRunning: async (pid, printed) =>
            {
                // The traffic stage lasts its warm-up and before-window (4 s): Ctrl+C lands while the writers write alone.
                if (await AppHostProcess.WaitForOutputAsync(printed, "stage traffic: started", TimeSpan.FromMinutes(2)))
                {
                    await AppHostProcess.InterruptAsync(pid);
                    interrupted = true;
                }
            });
            output.WriteLine(run.Describe());

            Assert.True(interrupted, "the rehearsal never reached the traffic stage");
            Assert.True(run.ExitCode == 130, run.Describe());
            Assert.Contains("stage traffic: cancelled", run.Output);
            Assert.Contains("stage teardown: succeeded", run.Output);
            Assert.DoesNotContain("stage migrate 025", run.Output);
            Assert.Empty(run.LeftoverClusterFolders);
            Assert.Empty(run.LeftoverServerProcesses);

            var traffic = AppHostRun.ReadReport(artifacts)["traffic"]!;
            Assert.True(traffic["stopped_early"]!.GetValue<bool>());
            Assert.Null(traffic["lost_writes"]);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }
}
