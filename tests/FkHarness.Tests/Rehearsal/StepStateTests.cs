using FkHarness.Catalog;
using FkHarness.Rehearsal;
using FkHarness.Rehearsal.Commands;
using FkHarness.Rehearsal.Hosting;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Progress;
using FkHarness.Rehearsal.Reporting;
using FkHarness.Rehearsal.State;
using FkHarness.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FkHarness.Tests.Rehearsal;

/// <summary>
/// The state a rehearsal's steps hand on to each other (state/context.json): a real rehearsal's
/// context, saved and loaded, gives the same report and the same summary; and the steps run one
/// process call at a time (--step) make the rehearsal the in-process pipeline makes, or stop at a
/// failing step with the report naming its stage.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StepStateTests(PostgresFixture fixture)
{
    [Fact]
    public async Task ARealRehearsalsContext_SavedAndLoaded_GivesTheSameReportAndSummary()
    {
        await using var db = await fixture.CreateEmptyDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("fkh-state-").FullName;
        try
        {
            var options = Options(db.ConnectionString, folder);
            var artifacts = RehearsalArtifacts.Create(folder, DateTimeOffset.UtcNow);
            using var host = RehearsalHost.Build(options, artifacts, interactive: false);
            var context = new RehearsalContext(options, artifacts, host.Services.GetRequiredService<ForeignKeyCatalog>());
            await host.Services.GetRequiredService<RehearsalPipeline>().RunAsync(context, CancellationToken.None);
            Assert.True(ExitCodes.For(context.Stages) == 0, string.Join("\n", context.Stages.Select(s => $"{s.Name} {s.Status} {s.Outcome.Error}")));
            // Every part of the context the report reads is filled, so the comparison below covers it.
            Assert.NotNull(context.Seeded);
            Assert.NotNull(context.AuditAfter);
            Assert.NotNull(context.Backup);
            Assert.NotNull(context.SnapshotBeforeUp);
            Assert.NotNull(context.RollbackProof);
            Assert.NotNull(context.ServerSettings);
            Assert.NotNull(context.MigrationRole);
            Assert.NotNull(context.Teardown);
            Assert.NotEmpty(context.LockHolds);
            Assert.NotEmpty(context.Quarantine);
            Assert.NotEmpty(context.QuarantineRows);
            Assert.NotEmpty(context.Checks);
            Assert.All(context.Stages, s => Assert.NotEqual(default, s.StartedAt));

            var file = new RehearsalStateFile(folder);
            await file.SaveAsync(RehearsalState.From(context, traceParent: null), CancellationToken.None);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
            }

            var loaded = new RehearsalContext(options, artifacts, context.Catalog) { Database = context.Database };
            (await file.LoadAsync(CancellationToken.None))!.ApplyTo(loaded);

            Assert.Equal(Report(context), Report(loaded));
            Assert.Equal(Summary(context), Summary(loaded));
            Assert.Equal(context.StartedAt, loaded.StartedAt);
            Assert.Equal(context.MigrationRole, loaded.MigrationRole);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task StepByStep_MakesTheRehearsalThePipelineMakes()
    {
        await using var db = await fixture.CreateEmptyDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("fkh-steps-").FullName;
        try
        {
            var options = Options(db.ConnectionString, folder);
            var steps = RehearsalPlan.Steps(options, FkHarness.Migrator.Scripts.MigrationSet.Load(null)).Select(s => s.Name).ToList();
            Assert.Equal(
                ["baseline", "seed", "audit", "backup", "snapshot", "migrate-025", "migrate-026", "verify", "rollback-026", "rollback-025", "rollback-proof", "report"],
                steps);
            foreach (var step in steps)
            {
                var exitCode = await StepAction.RunAsync(options, new StepRequest(step, folder, "20261201-000000-abcd"), CancellationToken.None);
                Assert.True(exitCode == 0, $"step {step} exited {exitCode}\n{Log(folder)}");
            }

            var report = AppHost.AppHostRun.ReadReport(folder);
            Assert.Equal("20261201-000000-abcd", report["rehearsal"]!["run_id"]!.GetValue<string>());
            Assert.True(report["rehearsal"]!["succeeded"]!.GetValue<bool>());
            Assert.Equal(
                ["provision", "baseline", "seed", "audit", "backup", "snapshot", "migrate 025", "migrate 026", "verify", "rollback 026", "rollback 025", "prove rollback", "teardown"],
                report["stages"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
            Assert.True(report["rollback"]!["holds"]!.GetValue<bool>());
            Assert.Equal(0, report["verification"]!["failed"]!.GetValue<int>());
            Assert.True(File.Exists(Path.Combine(folder, "state", "traffic.stop")), "the last migrate step did not say the migrations are over");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AFailingStep_ExitsOne_WritesTheReportNamingItsStage_AndLaterStepsRunNothing()
    {
        await using var db = await fixture.CreateEmptyDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("fkh-steps-failed-").FullName;
        var migrations = Directory.CreateTempSubdirectory("fkh-steps-broken-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "migrations"), "*.sql"))
            {
                File.Copy(file, Path.Combine(migrations, Path.GetFileName(file)));
            }

            await File.WriteAllTextAsync(Path.Combine(migrations, "025_add_missing_text_fk_constraints.up.sql"), "SELECT * FROM no_such_table;\n");
            var options = Options(db.ConnectionString, folder) with { Rollback = false, MigrationsDirectory = migrations };
            Task<int> Step(string name) => StepAction.RunAsync(options, new StepRequest(name, folder, null), CancellationToken.None);

            foreach (var step in new[] { "baseline", "seed", "audit", "backup" })
            {
                Assert.Equal(0, await Step(step));
            }

            Assert.Equal(ExitCodes.Failed, await Step("migrate-025"));
            var report = AppHost.AppHostRun.ReadReport(folder);
            Assert.Equal("migrate 025", report["rehearsal"]!["failed_stage"]!.GetValue<string>());
            Assert.Contains("no_such_table", report["rehearsal"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("teardown", report["stages"]!.AsArray().Last()!["name"]!.GetValue<string>());
            Assert.True(File.Exists(Path.Combine(folder, "state", "traffic.stop")), "a failed step must stop the traffic");

            // Run anyway (the AppHost would not start it), the next step does nothing and says why.
            Assert.Equal(ExitCodes.Failed, await Step("migrate-026"));
            var stages = (await new RehearsalStateFile(folder).LoadAsync(CancellationToken.None))!.Stages;
            Assert.Equal(StageStatus.Skipped, stages[^1].Status);
            Assert.Equal("migrate 026", stages[^1].Name);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            Directory.Delete(migrations, recursive: true);
        }
    }

    private static RehearsalOptions Options(string connectionString, string folder) => new()
    {
        Scale = 0.05,
        Rollback = true,
        UseGivenDatabase = true,
        ConnectionString = connectionString,
        ArtifactsDirectory = folder,
    };

    private static string Report(RehearsalContext context)
    {
        var report = AuditReportJson.Build(context);
        // The one value the report takes from the clock when it is written.
        report["rehearsal"]!.AsObject().Remove("finished_at");
        return report.ToJsonString();
    }

    private static string Summary(RehearsalContext context)
    {
        using var writer = new StringWriter();
        new PlainRehearsalConsole(writer).Summary(context);
        return writer.ToString();
    }

    private static string Log(string folder) =>
        File.Exists(Path.Combine(folder, "rehearsal.log")) ? File.ReadAllText(Path.Combine(folder, "rehearsal.log")) : "(no log)";
}
