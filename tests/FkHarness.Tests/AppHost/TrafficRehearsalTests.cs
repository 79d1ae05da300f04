using System.Text.Json.Nodes;
using FkHarness.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>
/// --traffic through the AppHost, as a user runs it, on a fresh database of the tests' cluster:
/// writers before and during each migration, 23503 rejections once the FKs and triggers are on and
/// no other SQLSTATE, every valid write still there, and their rows gone again (the rollback proof holds);
/// the writers' own lines on the console.
/// </summary>
[Collection(AppHostTests.Name)]
public sealed class TrafficRehearsalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rehearsal_WithTraffic_ReportsWritesPerMigration_Only23503_AndNoLostWrite()
    {
        var cluster = await SharedCluster.GetAsync();
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-traffic-").FullName;
        try
        {
            using var run = await AppHostProcess.RunAsync(
                ["--scale", "0.2", "--traffic", "200", "--rollback", "--artifacts", artifacts],
                new Dictionary<string, string?> { ["ConnectionStrings__fkdb"] = cluster.ConnectionString() });
            output.WriteLine(run.Describe());

            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Matches(@"Traffic: [\d,]+ writes at 200/s; .*no valid write lost", run.Output);
            // The traffic resource's own lines reach the console as the steps' do: when it is ready, and its total at the end.
            Assert.Contains("fkharness: traffic: 200 writes/s by 4 writers; ready", run.Output);
            Assert.Matches(@"fkharness: traffic: \d+ writes; results in \S+traffic\.json", run.Output);
            Assert.Contains("Rollback: schema and data of all 17 tables identical to before up", run.Output);

            var traffic = AppHostRun.ReadReport(artifacts)["traffic"]!.AsObject();
            var windows = traffic["windows"]!.AsArray().Select(w => w!.AsObject()).ToDictionary(w => w["name"]!.GetValue<string>());
            Assert.Equal(["before", "025", "026", "after"], windows.Keys);
            Assert.All(windows.Values, w => Assert.True(w["writes"]!.GetValue<int>() > 0, $"no write in window {w["name"]}"));
            Assert.All(windows.Values, w => Assert.NotNull(w["p99_ms"]));
            Assert.Equal(0, windows["before"]["rejected_23503"]!.GetValue<int>());

            var failures = traffic["failures_by_sqlstate"]!.AsObject();
            Assert.Equal(["23503"], failures.Select(f => f.Key));
            Assert.True(failures["23503"]!.GetValue<int>() > 0);
            Assert.Empty(traffic["unexpected_sqlstates"]!.AsArray());
            Assert.Empty(traffic["problems"]!.AsArray());

            Assert.True(traffic["lost_writes"]!["checked"]!.GetValue<int>() > 0);
            Assert.Equal(0, traffic["lost_writes"]!["lost"]!.GetValue<int>());
            Assert.NotNull(traffic["longest_stall"]!["kind"]);
            Assert.All(traffic["checks"]!.AsArray(), c => Assert.Equal("passed", c!["outcome"]!.GetValue<string>()));
            Assert.Contains(Verification(artifacts), c => c["name"]!.GetValue<string>().StartsWith("no valid traffic write lost", StringComparison.Ordinal)
                && c["outcome"]!.GetValue<string>() == "passed");

            var html = await File.ReadAllTextAsync(Path.Combine(artifacts, "report.html"));
            Assert.Contains("How the application's writes fared (traffic)", html);
            Assert.Contains("migrate 025", html);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    private static IEnumerable<JsonObject> Verification(string artifacts) =>
        AppHostRun.ReadReport(artifacts)["verification"]!["checks"]!.AsArray().Select(c => c!.AsObject());
}
