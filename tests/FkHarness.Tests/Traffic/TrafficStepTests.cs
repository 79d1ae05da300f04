using System.Diagnostics;
using System.Text;
using CliWrap;
using FkHarness.Catalog;
using FkHarness.Migrator;
using FkHarness.Rehearsal;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Reporting;
using FkHarness.Rehearsal.Traffic;
using FkHarness.Rehearsal.Verification;
using FkHarness.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FkHarness.Tests.Traffic;

/// <summary>
/// --step traffic as the AppHost's graph runs it: a process of its own that says ready through
/// state/traffic.ready, writes while the migrations run elsewhere, stops on state/traffic.stop and
/// leaves state/traffic.json, which the report step joins with the migrate stages' records.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class TrafficStepTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const string RunId = "20261201-000000-test";
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task TrafficStep_HandsOverThroughTheStateFiles_AndTheReportJoinsTheMigrationWindows()
    {
        var (db, _) = await SeededTemplate.CreateAsync(fixture);
        await using var _db = db;
        var runFolder = Directory.CreateTempSubdirectory("fkh-traffic-step-").FullName;
        var log = new StringBuilder();
        var signals = new TrafficSignals(RehearsalArtifacts.Open(runFolder, RunId));
        try
        {
            using var limit = new CancellationTokenSource(Wait * 2);
            var step = Cli.Wrap("dotnet")
                .WithArguments([Path.Combine(AppContext.BaseDirectory, "FkHarness.Rehearsal.dll"), "--step", "traffic", "--run-folder", runFolder, "--run-id", RunId, "--use-fkdb", "--traffic", "200"])
                .WithEnvironmentVariables(env => env.Set("ConnectionStrings__fkdb", db.ConnectionString).Set("CI", "true"))
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(log))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(log))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(limit.Token);

            Assert.True(await AppearsAsync(signals.Ready, step.Task), "no state/traffic.ready:\n" + log);
            var stages = new List<StageRecord>();
            foreach (var version in new[] { "025", "026" })
            {
                var startedAt = DateTimeOffset.UtcNow;
                var clock = Stopwatch.StartNew();
                var up = await new UpgradeRunner().UpAsync(db.ConnectionString, to: version);
                Assert.True(up.Succeeded, up.Error?.Message);
                stages.Add(new StageRecord($"migrate {version}", StageOutcome.Succeeded("applied"), clock.Elapsed) { StartedAt = startedAt });
            }

            await File.WriteAllTextAsync(signals.Stop, "");
            var exit = await step.Task;
            output.WriteLine(log.ToString());
            Assert.Equal(0, exit.ExitCode);

            var context = new RehearsalContext(new RehearsalOptions(), RehearsalArtifacts.Open(runFolder, RunId), ForeignKeyCatalog.LoadEmbedded());
            context.Stages.AddRange(stages);
            Assert.True(await TrafficStateFiles.AttachAsync(context, signals, CancellationToken.None));
            var figures = TrafficFigures.From(context.Traffic!, context.Stages, []);
            Assert.Equal(["before", "025", "026", "after"], figures.Windows.Select(w => w.Name));
            Assert.All(figures.Windows.Take(3), w => Assert.True(w.Writes > 0, $"no write in window {w.Name}"));
            Assert.Equal(0, context.Traffic!.LostWrites!.Lost);
            Assert.All(context.Checks, c => Assert.True(c.Outcome == CheckOutcome.Passed, $"{c.Name}: {c.Explained}"));
            Assert.Contains("migrate 026", HtmlTrafficSection.Render(context));
        }
        finally
        {
            Directory.Delete(runFolder, recursive: true);
        }
    }

    /// <summary>Polls for the file; false if the process ended first or the wait ran out.</summary>
    private static async Task<bool> AppearsAsync(string path, Task process)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline && !process.IsCompleted)
        {
            if (File.Exists(path))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return File.Exists(path);
    }
}
