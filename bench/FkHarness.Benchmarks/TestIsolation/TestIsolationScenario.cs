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

    public async Task<ScenarioReport> RunAsync(string command, string? repositoryRoot, CancellationToken cancellationToken)
    {
        var loadBefore = MachineInfo.LoadAverage();
        var times = new Dictionary<string, List<FreshDatabaseTimes>>
        {
            ["seeded: clone of the seeded template"] = [],
            ["seeded: build (CREATE DATABASE, baseline via psql, seeder at scale 0.1)"] = [],
            ["baseline: clone of the baseline template"] = [],
            ["baseline: build (CREATE DATABASE, baseline via psql)"] = [],
        };
        string version;
        progress.WriteLine("Starting a throwaway cluster…");
        await using (var server = await BenchServer.StartAsync(cancellationToken))
        {
            version = server.Version;
            var maker = new FreshDatabaseMaker(server);
            progress.WriteLine("Building the two templates once, as the test fixture does…");
            await maker.BuildAsync(SeededTemplate, seed: true, cancellationToken);
            await maker.MarkTemplateAsync(SeededTemplate, cancellationToken);
            await maker.BuildAsync(BaselineTemplate, seed: false, cancellationToken);
            await maker.MarkTemplateAsync(BaselineTemplate, cancellationToken);

            var ways = new (string Label, Func<string, Task<FreshDatabaseTimes>> Make)[]
            {
                (times.Keys.ElementAt(0), name => maker.CloneAsync(SeededTemplate, name, cancellationToken)),
                (times.Keys.ElementAt(1), name => maker.BuildAsync(name, seed: true, cancellationToken)),
                (times.Keys.ElementAt(2), name => maker.CloneAsync(BaselineTemplate, name, cancellationToken)),
                (times.Keys.ElementAt(3), name => maker.BuildAsync(name, seed: false, cancellationToken)),
            };
            for (var repetition = 0; repetition <= options.Repetitions; repetition++)
            {
                progress.WriteLine(repetition == 0 ? "Warm-up round (not counted)…" : $"Round {repetition}/{options.Repetitions}…");
                foreach (var (label, make) in ways)
                {
                    var name = $"t_bench_{repetition}";
                    var measured = await make(name);
                    await maker.DropAsync(name, cancellationToken);
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
