using FkHarness.Provisioning;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Benchmarks.Reporting;

namespace FkHarness.Benchmarks.TestIsolation;

/// <summary>
/// Scenario 4: what a test pays for a fresh database of its own, by template clone (what the
/// fixture does) against building it (baseline, then the seeder at the tests' scale); and,
/// optionally, the whole suite's wall time.
/// </summary>
internal sealed class TestIsolationScenario(TestIsolationOptions options, TextWriter progress)
{
    public const string Key = "isolation";
    private const string SeededTemplate = "tpl_seeded";
    private const string BaselineTemplate = "tpl_baseline";

    /// <summary>How long a test runs between taking its database and the next test asking: the pool's time to make the next clone.</summary>
    private static readonly TimeSpan TestRunTime = TimeSpan.FromSeconds(1);

    public async Task<ScenarioReport> RunAsync(string command, string? repositoryRoot, CancellationToken cancellationToken)
    {
        var loadBefore = MachineInfo.LoadAverage();
        var times = new Dictionary<string, List<FreshDatabaseTimes>>();
        string version;
        progress.WriteLine("Starting a throwaway cluster…");
        await using (var server = await BenchServer.StartAsync(cancellationToken))
        {
            version = server.Version;
            var fixture = new FreshDatabaseMaker(server, pooledAdmin: false);
            var pooled = new FreshDatabaseMaker(server, pooledAdmin: true);
            progress.WriteLine("Building the two templates once, as the test fixture does…");
            await fixture.BuildAsync(SeededTemplate, seed: true, cancellationToken);
            await fixture.MarkTemplateAsync(SeededTemplate, cancellationToken);
            await fixture.BuildAsync(BaselineTemplate, seed: false, cancellationToken);
            await fixture.MarkTemplateAsync(BaselineTemplate, cancellationToken);

            var seededPool = new TemplateClonePool(server.ConnectionString("postgres"), SeededTemplate, "t_pool_");
            var baselinePool = new TemplateClonePool(server.ConnectionString("postgres"), BaselineTemplate, "t_pool_");
            var takenFromPool = new List<string>();
            var ways = new (string Label, Func<string, Task<FreshDatabaseTimes>> Make)[]
            {
                (Labels.SeededTaken, _ => FreshDatabaseMaker.TakeAsync(seededPool, TestRunTime, takenFromPool.Add, cancellationToken)),
                (Labels.BaselineTaken, _ => FreshDatabaseMaker.TakeAsync(baselinePool, TestRunTime, takenFromPool.Add, cancellationToken)),
                (Labels.SeededClone, name => fixture.CloneAsync(SeededTemplate, name, cancellationToken)),
                (Labels.SeededClonePooled, name => pooled.CloneAsync(SeededTemplate, name, cancellationToken)),
                (Labels.SeededBuild, name => fixture.BuildAsync(name, seed: true, cancellationToken)),
                (Labels.BaselineClone, name => fixture.CloneAsync(BaselineTemplate, name, cancellationToken)),
                (Labels.BaselineClonePooled, name => pooled.CloneAsync(BaselineTemplate, name, cancellationToken)),
                (Labels.BaselineBuild, name => fixture.BuildAsync(name, seed: false, cancellationToken)),
            };
            foreach (var (label, _) in ways)
            {
                times[label] = [];
            }

            for (var repetition = 0; repetition <= options.Repetitions; repetition++)
            {
                progress.WriteLine(repetition == 0 ? "Warm-up round (not counted)…" : $"Round {repetition}/{options.Repetitions}…");
                foreach (var (label, make) in ways)
                {
                    var name = $"t_bench_{repetition}";
                    var measured = await make(name);
                    foreach (var drop in takenFromPool.Append(name))
                    {
                        await fixture.DropAsync(drop, cancellationToken);
                    }

                    takenFromPool.Clear();
                    if (repetition > 0)
                    {
                        times[label].Add(measured);
                    }
                }
            }
        }

        DotnetTestRun.Result? suite = null;
        if (options.DotnetTest && repositoryRoot is not null)
        {
            suite = await DotnetTestRun.RunAsync(repositoryRoot, progress, cancellationToken);
        }

        return new TestIsolationReport(options, times, suite).Build(command, MachineInfo.Capture(version, loadBefore));
    }
}
