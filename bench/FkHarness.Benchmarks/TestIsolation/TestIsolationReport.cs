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
        var seededTaken = Median(Labels.SeededTaken, t => t.Total);
        var seededClone = Median(Labels.SeededClonePooled, t => t.Total);
        var seededBuild = Median(Labels.SeededBuild, t => t.Total);
        var baselineTaken = Median(Labels.BaselineTaken, t => t.Total);
        var baselineBuild = Median(Labels.BaselineBuild, t => t.Total);
        var oldClone = Median(Labels.SeededClone, t => t.Total);
        var tables = new List<ReportTable>
        {
            new($"A fresh database for one test (medians of {options.Repetitions})",
                ["way", "total", "admin connection", "CREATE DATABASE", "schema (psql -f baseline)", "seeding"],
                labels.Select(l => (IReadOnlyList<string>)
                [
                    l,
                    Ms(Median(l, t => t.Total)),
                    Ms(Median(l, t => t.Connect)),
                    Ms(Median(l, t => t.Create)),
                    l.Contains("clone", StringComparison.Ordinal) ? "—" : Ms(Median(l, t => t.Schema)),
                    l == Labels.SeededBuild ? Ms(Median(l, t => t.Seed)) : "—",
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
                new("a test's fresh database ≤ 1/10 of building one (seeded, the tests' scale; as the fixture now gives it: taken from the clone pool)",
                    string.Create(Invariant, $"{seededTaken.TotalMilliseconds:0.0} ms vs {seededBuild.TotalMilliseconds:0} ms (1/{seededBuild / seededTaken:0})"), seededTaken * 10 <= seededBuild),
                new("the clone itself (CREATE DATABASE … TEMPLATE) ≤ 1/10 of building (seeded)",
                    string.Create(Invariant, $"{seededClone.TotalMilliseconds:0} ms vs {seededBuild.TotalMilliseconds:0} ms (1/{seededBuild / seededClone:0.0}); with the fixture's former new connection per command: {oldClone.TotalMilliseconds:0} ms (1/{seededBuild / oldClone:0.0})"), seededClone * 10 <= seededBuild),
                new("a test's fresh database ≤ 1/10 of building one (empty baseline, from the pool)",
                    string.Create(Invariant, $"{baselineTaken.TotalMilliseconds:0.0} ms vs {baselineBuild.TotalMilliseconds:0} ms (1/{baselineBuild / baselineTaken:0})"), baselineTaken * 10 <= baselineBuild),
            ],
            Notes =
            [
                "Each way is timed as the test fixture does it: an admin connection to the postgres database, CREATE DATABASE … TEMPLATE for a clone; for a build, CREATE DATABASE, the baseline through psql -f (a process start), then the seeder in-process. Dropping the database afterwards is the same for all and not counted. Rounds alternate the ways after one warm-up round.",
                "A clone is CREATE DATABASE … TEMPLATE: PostgreSQL 15 copies the template block by block through the WAL (STRATEGY WAL_LOG, the default), the ~8 MB of system catalogs included, so even an empty baseline costs tens of milliseconds on a quiet machine and several hundred when other work keeps the CPUs busy in the kernel. That copy is what bounds the clone; FILE_COPY measured no faster here. So the fixture no longer makes a test wait for it: TemplateClonePool (src/FkHarness.Provisioning) keeps one clone per template made ahead, and makes the next while the test that took one runs (1 s here, not counted). Its admin connections (to the postgres database, never cloned or dropped) are pooled.",
                suite is null
                    ? "The whole-suite time is measured with --dotnet-test."
                    : "The whole suite runs once, after the measurements, on the same machine (its own throwaway cluster); its time depends on how busy the machine is (load average above).",
            ],
        };
    }

    private TimeSpan Median(string label, Func<FreshDatabaseTimes, TimeSpan> part) => Stats.Median(times[label].Select(part));

    private static string Ms(TimeSpan time) => time.TotalMilliseconds < 10
        ? string.Create(Invariant, $"{time.TotalMilliseconds:0.0} ms")
        : string.Create(Invariant, $"{time.TotalMilliseconds:N0} ms");
}
