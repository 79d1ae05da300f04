using System.Globalization;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Benchmarks.Reporting;

namespace FkHarness.Benchmarks.TestIsolation;

/// <summary>Scenario 4's times reduced to medians, the target, and the section text.</summary>
internal sealed class TestIsolationReport(TestIsolationOptions options, IReadOnlyDictionary<string, List<FreshDatabaseTimes>> times, DotnetTestRun.Result? suite)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public ScenarioReport Build(string command, MachineInfo machine)
    {
        var labels = times.Keys.ToList();
        var seededClone = Median(labels[0], t => t.Total);
        var seededBuild = Median(labels[1], t => t.Total);
        var baselineClone = Median(labels[2], t => t.Total);
        var baselineBuild = Median(labels[3], t => t.Total);
        var tables = new List<ReportTable>
        {
            new($"A fresh database for one test (medians of {options.Repetitions})",
                ["way", "total", "CREATE DATABASE", "schema (psql -f baseline)", "seeding"],
                labels.Select(l => (IReadOnlyList<string>)
                [
                    l,
                    Ms(Median(l, t => t.Total)),
                    Ms(Median(l, t => t.Create)),
                    l.Contains("clone", StringComparison.Ordinal) ? "—" : Ms(Median(l, t => t.Schema)),
                    l.StartsWith("seeded: build", StringComparison.Ordinal) ? Ms(Median(l, t => t.Seed)) : "—",
                ]).ToList()),
        };
        if (suite is not null)
        {
            tables.Add(new("The whole suite, run once", ["step", "wall time", "result"],
            [
                ["dotnet build FkHarness.sln (incremental, Debug)", string.Create(Invariant, $"{suite.Build.TotalSeconds:0} s"), ""],
                ["dotnet test FkHarness.sln --no-build", string.Create(Invariant, $"{suite.Test.TotalSeconds:0} s"), suite.Summary],
            ]));
        }

        return new ScenarioReport
        {
            Key = TestIsolationScenario.Key,
            Title = "Test isolation: a fresh database per test",
            Command = command,
            Scale = "the tests' seeded template: seeder scale 0.1 (~10,000 rows, 5 % orphans, seed 20251101); and the empty baseline template most migration tests use",
            Machine = machine,
            Date = DateTimeOffset.UtcNow,
            Tables = tables,
            Targets =
            [
                new("clone ≤ 1/10 of building (seeded, the tests' scale)",
                    string.Create(Invariant, $"{seededClone.TotalMilliseconds:0} ms vs {seededBuild.TotalMilliseconds:0} ms (1/{seededBuild / seededClone:0})"), seededClone * 10 <= seededBuild),
                new("clone ≤ 1/10 of building (empty baseline)",
                    string.Create(Invariant, $"{baselineClone.TotalMilliseconds:0} ms vs {baselineBuild.TotalMilliseconds:0} ms (1/{baselineBuild / baselineClone:0})"), baselineClone * 10 <= baselineBuild),
            ],
            Notes =
            [
                "Each way is timed as the test fixture does it: a new unpooled admin connection per command, CREATE DATABASE … TEMPLATE for a clone; for a build, CREATE DATABASE, the baseline through psql -f (a process start), then the seeder in-process. Dropping the database afterwards is the same for both and not counted. Rounds alternate the four ways after one warm-up round.",
                suite is null
                    ? "The whole-suite time is measured with --dotnet-test."
                    : "The whole suite runs once, after the measurements, on the same machine (its own throwaway cluster); its time depends on how busy the machine is (load average above).",
            ],
        };
    }

    private TimeSpan Median(string label, Func<FreshDatabaseTimes, TimeSpan> part) => Stats.Median(times[label].Select(part));

    private static string Ms(TimeSpan time) => string.Create(Invariant, $"{time.TotalMilliseconds:N0} ms");
}
