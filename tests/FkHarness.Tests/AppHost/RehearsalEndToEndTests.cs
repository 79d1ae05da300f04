using System.Text.Json.Nodes;
using FkHarness.Catalog;
using FkHarness.Seeder.Manifest;
using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>The AppHost run as a user runs it: a full rehearsal, then one on a dump of the data it seeded.</summary>
[Collection(AppHostTests.Name)]
public sealed class RehearsalEndToEndTests(SeededRehearsal rehearsal, ITestOutputHelper output) : IClassFixture<SeededRehearsal>
{
    private static readonly string[] StagesWithRollback =
    [
        "provision", "baseline", "seed", "audit", "backup", "snapshot", "migrate 025", "migrate 026", "verify",
        "rollback 026", "rollback 025", "prove rollback", "teardown",
    ];

    [Fact]
    public void Rehearsal_WithRollback_ExitsZero_AndPrintsTheSummary()
    {
        var run = rehearsal.Run;
        output.WriteLine(run.Describe());
        Assert.True(run.ExitCode == 0, run.Describe());
        foreach (var finding in ForeignKeyCatalog.LoadEmbedded().Findings)
        {
            Assert.Contains(finding.Relationship, run.Output);
        }

        Assert.Matches(@"Verification: \d+ passed, 0 failed", run.Output);
        Assert.Contains("Rollback: schema and data of all 17 tables identical to before up", run.Output);
        // Each step a process of its own: DCP's hand-offs (at least 0.5 s each) make the span longer than the stages.
        Assert.Matches(@"Rehearsal succeeded in [0-9.]+ s of stages \([0-9.]+ s from the first stage's start to the report, with the steps' hand-offs\)\.", run.Output);
        Assert.Empty(run.LeftoverClusterFolders);
    }

    [Fact]
    public void Report_CountsEqualTheManifest_AndEveryCheckPassed()
    {
        var report = AppHostRun.ReadReport(rehearsal.Artifacts);
        var manifest = OrphanManifest.Load(Path.Combine(rehearsal.Artifacts, "orphan_manifest.json"));

        foreach (var finding in report["findings"]!.AsArray().Select(f => f!.AsObject()))
        {
            var planted = manifest.For(finding["id"]!.GetValue<int>());
            var name = finding["source_table"] + "." + finding["source_column"];
            Assert.True(planted.OrphanCount == Long(finding, "audit", "orphan_count"), $"{name}: orphans audited before");
            Assert.True(0 == Long(finding, "audit_after", "orphan_count") || finding["kind"]!.GetValue<string>() == "array_fk", $"{name}: orphans after");
            Assert.True(planted.Planted.Count(p => p.ExpectedAction == ExpectedAction.Delete) == Long(finding, "actions", "deleted"), $"{name}: deleted");
            Assert.True(planted.Planted.Count(p => p.ExpectedAction == ExpectedAction.SetNull) == Long(finding, "actions", "set_null"), $"{name}: set to NULL");
        }

        Assert.Equal(0, report["verification"]!["failed"]!.GetValue<int>());
        Assert.True(report["verification"]!["passed"]!.GetValue<int>() > 50);
        Assert.True(report["rollback"]!["schema_equal"]!.GetValue<bool>());
        Assert.True(report["rollback"]!["data_equal"]!.GetValue<bool>());
        Assert.Equal(StagesWithRollback, report["stages"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.All(report["stages"]!.AsArray(), s => Assert.Equal("succeeded", s!["status"]!.GetValue<string>()));
        Assert.True(File.Exists(Path.Combine(rehearsal.Artifacts, "report.html")));
        Assert.Single(Directory.GetFiles(rehearsal.Artifacts, "backup_before_fk_fix_*.dump"));
    }

    [Fact]
    public async Task QuarantineCsv_AndTheJson_ListEveryRowTheManifestSays025Takes_WithWhitespaceSpelledOut()
    {
        var manifest = OrphanManifest.Load(Path.Combine(rehearsal.Artifacts, "orphan_manifest.json"));
        var expected = manifest.Findings
            .SelectMany(f => f.Planted.Where(p => p.ExpectedAction is ExpectedAction.Delete or ExpectedAction.SetNull)
                .Select(p => $"{f.SourceTable},{f.SourceColumn},{p.Id},{(p.ExpectedAction == ExpectedAction.Delete ? "delete" : "set_null")}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        var lines = await File.ReadAllLinesAsync(Path.Combine(rehearsal.Artifacts, "quarantine.csv"));
        Assert.Equal("table,column,row_id,action,reason_code,old_value", lines[0]);
        Assert.Equal(expected, lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(4))).Order(StringComparer.Ordinal));
        var rows = AppHostRun.ReadReport(rehearsal.Artifacts)["quarantine_rows"]!.AsArray();
        Assert.Equal(expected.Count, rows.Count);

        // Every planted whitespace variant shows its invisible character spelled out, in the CSV, the JSON and the HTML.
        var html = await File.ReadAllTextAsync(Path.Combine(rehearsal.Artifacts, "report.html"));
        var variants = manifest.Findings.SelectMany(f => f.Planted.Where(p => p.OrphanKind == OrphanKind.WhitespaceVariant && p.Value is not null)).ToList();
        Assert.NotEmpty(variants);
        Assert.Contains(variants, v => v.Value!.Contains('\u00A0', StringComparison.Ordinal));
        foreach (var variant in variants)
        {
            var visible = variant.Value!.Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
                .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\u00A0", "U+00A0", StringComparison.Ordinal);
            Assert.Contains(lines, l => l.EndsWith("," + visible, StringComparison.Ordinal) || l.EndsWith(",\"" + visible + "\"", StringComparison.Ordinal));
            Assert.Contains(rows, r => r!["old_value_visible"]!.GetValue<string>() == visible && r["old_value"]!.GetValue<string>() == variant.Value);
        }

        Assert.Contains("U+00A0", html, StringComparison.Ordinal);
        Assert.Contains("Every row 025 takes", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_HasTheLockHoldsOfEveryIndexBuildAndTriggerStep_AndTheServersConfiguration()
    {
        var report = AppHostRun.ReadReport(rehearsal.Artifacts);
        var holds = report["lock_holds"]!["holds"]!.AsArray().Select(h => h!.AsObject()).ToList();
        Assert.Equal(13, holds.Count(h => h["script"]!.GetValue<string>().EndsWith(".up.sql", StringComparison.Ordinal)
            && h["step"]!.GetValue<string>().StartsWith("CREATE INDEX CONCURRENTLY", StringComparison.Ordinal)));
        Assert.Contains(holds, h => h["step"]!.GetValue<string>().StartsWith("CREATE OR REPLACE TRIGGER", StringComparison.Ordinal)
            && h["table"]!.GetValue<string>() == "users" && h["blocks_writes"]!.GetValue<bool>());
        var longest = report["lock_holds"]!["longest"]!;
        Assert.Equal(holds.Max(h => h["held_ms"]!.GetValue<double>()), longest["held_ms"]!.GetValue<double>());
        Assert.NotNull(report["lock_holds"]!["longest_blocking_writes"]);

        var settings = report["database_settings"]!["settings"]!;
        Assert.Equal("off", settings["fsync"]!.GetValue<string>());
        Assert.Equal("off", settings["synchronous_commit"]!.GetValue<string>());
        Assert.Contains("lower bound", report["database_settings"]!["meaning"]!.GetValue<string>(), StringComparison.Ordinal);

        var html = await File.ReadAllTextAsync(Path.Combine(rehearsal.Artifacts, "report.html"));
        Assert.Contains("How long 025 and 026 hold their locks", html, StringComparison.Ordinal);
        Assert.Contains("Longest hold that blocks writes", html, StringComparison.Ordinal);
        Assert.Contains("Database configuration", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromDump_OfTheSeededDatabase_AuditsTheSameCounts()
    {
        // The backup stage dumps the seeded database right before 025: a staging dump in miniature.
        var dump = Directory.GetFiles(rehearsal.Artifacts, "backup_before_fk_fix_*.dump").Single();
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-dump-").FullName;
        try
        {
            using var run = await AppHostProcess.RunAsync(["--from-dump", dump, "--artifacts", artifacts]);
            output.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Contains("stage restore: succeeded", run.Output);
            Assert.DoesNotContain("stage seed", run.Output);

            var seeded = AppHostRun.ReadReport(rehearsal.Artifacts)["findings"]!.AsArray();
            var restored = AppHostRun.ReadReport(artifacts)["findings"]!.AsArray();
            Assert.Equal(seeded.Count, restored.Count);
            for (var i = 0; i < seeded.Count; i++)
            {
                Assert.Equal(seeded[i]!["audit"]!.ToJsonString(), restored[i]!["audit"]!.ToJsonString());
                Assert.Equal(seeded[i]!["actions"]!.ToJsonString(), restored[i]!["actions"]!.ToJsonString());
            }

            Assert.Equal("dump", AppHostRun.ReadReport(artifacts)["rehearsal"]!["data"]!.GetValue<string>());
            Assert.Empty(run.LeftoverClusterFolders);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    private static long Long(JsonObject finding, string section, string field) => finding[section]![field]!.GetValue<long>();
}
