using System.Text.Json.Nodes;
using FkHarness.Catalog;
using FkHarness.Rehearsal;
using FkHarness.Rehearsal.Commands;
using FkHarness.Rehearsal.State;
using FkHarness.Tests.Aspire;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Rehearsal;

/// <summary>
/// fkdb's commands as steps of the rehearsal (--step command-NAME), on a rehearsal run step by
/// step: refused, changing nothing, before the report step ran; afterwards each runs the migrator
/// on the kept database and rewrites FK_AUDIT_REPORT.json and report.html with what changed,
/// leaving the rehearsal's own stages and verdict as they were; a command with nothing to do says
/// so and changes nothing.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class DatabaseCommandStepTests(PostgresFixture fixture)
{
    private static readonly ForeignKeyCatalog Catalog = ForeignKeyCatalog.LoadEmbedded();

    [Fact]
    public async Task Commands_AfterTheRehearsal_ChangeTheDatabase_AndRewriteTheReport_LeavingTheRehearsalsRecord()
    {
        await using var db = await fixture.CreateEmptyDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("fkh-commands-").FullName;
        try
        {
            var options = new RehearsalOptions { Scale = 0.05, Keep = true, UseGivenDatabase = true, ConnectionString = db.ConnectionString, ArtifactsDirectory = folder };
            Task<int> Step(string name) => RehearseAction.RunAsync(options with { Step = new StepRequest(name, folder, "20261201-000000-c0de") }, CancellationToken.None);
            foreach (var step in new[] { "baseline", "seed", "audit", "backup", "migrate-025", "migrate-026", "verify" })
            {
                Assert.Equal(0, await Step(step));
            }

            // Before the report step: refused, and neither the state nor the database changed.
            var stateBefore = await File.ReadAllTextAsync(new RehearsalStateFile(folder).Path);
            Assert.Equal(ExitCodes.InvalidInput, await Step("command-rollback-026"));
            Assert.Contains("has not ended yet", await Answer(folder, "command-rollback-026"), StringComparison.Ordinal);
            Assert.Equal(stateBefore, await File.ReadAllTextAsync(new RehearsalStateFile(folder).Path));
            Assert.NotEmpty((await AspireRehearsal.FixObjectsAsync(db.ConnectionString)).Triggers);

            Assert.Equal(0, await Step("report"));
            var triggersOf026 = (await AspireRehearsal.FixObjectsAsync(db.ConnectionString)).Triggers;
            Assert.Superset(ArrayTriggers.ToHashSet(), triggersOf026.ToHashSet());
            var rehearsal = AppHost.AppHostRun.ReadReport(folder);
            var quarantined = rehearsal["quarantine_rows"]!.AsArray().Count;
            Assert.True(quarantined > 0);

            Assert.Equal(0, await Step("command-rollback-026"));
            var (foreignKeys, triggers) = await AspireRehearsal.FixObjectsAsync(db.ConnectionString);
            Assert.Empty(triggers);
            Assert.Superset(TextForeignKeys, foreignKeys.ToHashSet());
            var report = AppHost.AppHostRun.ReadReport(folder);
            var first = Commands(report).Single();
            Assert.Equal("rollback-026", first["name"]!.GetValue<string>());
            Assert.Equal("succeeded", first["status"]!.GetValue<string>());
            Assert.Equal(triggersOf026.Order(), first["triggers_removed"]!.AsArray().Select(t => t!.GetValue<string>()).Order());
            Assert.Empty(report["after_rehearsal"]!["database_now"]!["triggers"]!.AsArray());
            Assert.Contains("After the rehearsal", await File.ReadAllTextAsync(Path.Combine(folder, "report.html")), StringComparison.Ordinal);

            // Again: nothing to roll back, said so, and nothing changed.
            Assert.Equal(0, await Step("command-rollback-026"));
            Assert.Contains("nothing to roll back", await Answer(folder, "command-rollback-026"), StringComparison.Ordinal);
            Assert.Equal("unchanged", Commands(AppHost.AppHostRun.ReadReport(folder))[^1]["status"]!.GetValue<string>());

            Assert.Equal(0, await Step("command-rollback-025"));
            Assert.Empty((await AspireRehearsal.FixObjectsAsync(db.ConnectionString)).ForeignKeys.Intersect(TextForeignKeys));
            var restored = Commands(AppHost.AppHostRun.ReadReport(folder))[^1];
            Assert.Equal(quarantined, restored["rows_restored"]!.GetValue<long>());
            Assert.Equal(rehearsal["findings"]!.AsArray().Sum(f => f!["audit"]!["orphan_count"]!.GetValue<long>()), restored["total_orphans_after"]!.GetValue<long>());

            Assert.Equal(0, await Step("command-reapply"));
            (foreignKeys, triggers) = await AspireRehearsal.FixObjectsAsync(db.ConnectionString);
            Assert.Superset(TextForeignKeys, foreignKeys.ToHashSet());
            Assert.Equal(triggersOf026.Order(), triggers.Order());
            report = AppHost.AppHostRun.ReadReport(folder);
            var reapplied = Commands(report)[^1];
            Assert.Equal(quarantined, reapplied["rows_quarantined"]!.GetValue<long>());
            Assert.Equal(9, report["after_rehearsal"]!["database_now"]!["foreign_keys_validated"]!.AsArray().Count);

            Assert.Equal(0, await Step("command-audit"));
            report = AppHost.AppHostRun.ReadReport(folder);
            Assert.Equal(["rollback-026", "rollback-026", "rollback-025", "reapply", "audit"], Commands(report).Select(c => c["name"]!.GetValue<string>()));

            // The rehearsal's own record is what the report step wrote; its stages now end with that report stage itself.
            var stages = report["stages"]!.AsArray();
            Assert.Equal(rehearsal["stages"]!.ToJsonString(), new JsonArray([.. stages.SkipLast(1).Select(s => s!.DeepClone())]).ToJsonString());
            Assert.Equal("report", stages[^1]!["name"]!.GetValue<string>());
            foreach (var section in new[] { "verification", "quarantine_rows", "lock_holds" })
            {
                Assert.Equal(rehearsal[section]!.ToJsonString(), report[section]!.ToJsonString());
            }

            Assert.Equal(rehearsal["rehearsal"]!.ToJsonString(), report["rehearsal"]!.ToJsonString());
            var html = await File.ReadAllTextAsync(Path.Combine(folder, "report.html"));
            Assert.Contains("Re-apply 025 and 026", html, StringComparison.Ordinal);
            Assert.Contains("fkdb now, after “Re-run the audit”", html, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static HashSet<string> TextForeignKeys => [.. Catalog.TextForeignKeys.Select(f => f.ConstraintName!)];

    private static List<string> ArrayTriggers => [.. Catalog.ArrayForeignKeys.SelectMany(f => f.Triggers).Distinct()];

    private static List<JsonObject> Commands(JsonObject report) =>
        [.. report["after_rehearsal"]!["commands"]!.AsArray().Select(c => c!.AsObject())];

    private static Task<string> Answer(string folder, string step) => File.ReadAllTextAsync(Path.Combine(folder, "state", $"{step}.answer"));
}
