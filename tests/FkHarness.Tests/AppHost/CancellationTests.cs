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
}
