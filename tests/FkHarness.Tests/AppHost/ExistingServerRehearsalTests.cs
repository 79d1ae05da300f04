using FkHarness.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>The existing-server provider, pointed through ConnectionStrings__fkdb (as Aspire would) at the tests' own cluster.</summary>
[Collection(AppHostTests.Name)]
public sealed class ExistingServerRehearsalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rehearsal_OnAnExistingServer_DropsItsDatabase_AndNeverShowsThePassword()
    {
        var cluster = await SharedCluster.GetAsync();
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-existing-").FullName;
        try
        {
            using var run = await AppHostProcess.RunAsync(
                ["--scale", "0.1", "--artifacts", artifacts],
                new Dictionary<string, string?> { ["ConnectionStrings__fkdb"] = cluster.ConnectionString() });
            output.WriteLine(run.Describe());

            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Matches(@"stage teardown: succeeded .* database fkharness_rehearsal_\d{8}_\d{6}_[0-9a-f]{4} dropped", run.Output);
            Assert.Empty(await RehearsalDatabasesAsync(cluster.ConnectionString()));
            Assert.DoesNotContain(cluster.Password, run.All);
            foreach (var file in Directory.GetFiles(artifacts).Where(f => !f.EndsWith(".dump", StringComparison.Ordinal)))
            {
                Assert.DoesNotContain(cluster.Password, await File.ReadAllTextAsync(file));
            }
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    private static Task<List<string>> RehearsalDatabasesAsync(string adminConnectionString) =>
        SqlColumn.ReadAsync(adminConnectionString, "SELECT datname FROM pg_database WHERE datname LIKE 'fkharness\\_rehearsal\\_%'");
}
