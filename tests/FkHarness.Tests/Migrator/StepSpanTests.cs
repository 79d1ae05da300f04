using System.Collections.Concurrent;
using System.Diagnostics;
using FkHarness.Catalog;
using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrator;

/// <summary>
/// Each step of 025 (NOT VALID, cleanup batch, VALIDATE, index build) and 026 (index build,
/// trigger) is a child span of its script's span, with its table, and the cleanup batches carry
/// the rows they changed: per relationship, exactly the orphans the seeder planted there.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StepSpanTests(PostgresFixture fixture)
{
    private static readonly ForeignKeyCatalog Catalog = ForeignKeyCatalog.LoadEmbedded();

    [Fact]
    public async Task EveryStepOf025And026_IsAChildSpanOfItsScript_AndTheCleanupBatchesCountThePlantedOrphans()
    {
        var (db, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _db = db;
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "FkHarness.Migrator",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        // Other tests migrate at the same time, and the listener hears them too: this test's spans are those of its own trace.
        using var root = new Activity("test").Start();

        var result = await new UpgradeRunner().UpAsync(db.ConnectionString);

        Assert.True(result.Succeeded, result.Error?.Message);
        var ours = spans.Where(s => s.TraceId == root.TraceId).ToList();
        var script025 = Assert.Single(ours, s => s.DisplayName == "script 025_add_missing_text_fk_constraints");
        var script026 = Assert.Single(ours, s => s.DisplayName == "script 026_add_array_fk_validation");
        var steps025 = ours.Where(s => s.ParentSpanId == script025.SpanId && s.GetTagItem("fkharness.step") is not null).ToList();
        var steps026 = ours.Where(s => s.ParentSpanId == script026.SpanId && s.GetTagItem("fkharness.step") is not null).ToList();
        Assert.All(steps025.Concat(steps026), s =>
        {
            var script = s.ParentSpanId == script025.SpanId ? script025 : script026;
            Assert.InRange(s.StartTimeUtc, script.StartTimeUtc, script.StartTimeUtc + script.Duration);
            Assert.True(s.StartTimeUtc + s.Duration <= script.StartTimeUtc + script.Duration, $"{s.DisplayName} ends after its script");
        });

        var tables = Catalog.TextForeignKeys.Select(f => f.SourceTable).Order().ToList();
        Assert.Equal(tables, TablesOf(steps025, "not_valid"));
        Assert.Equal(tables, TablesOf(steps025, "validate"));
        Assert.Equal(tables, TablesOf(steps025, "index_build"));
        Assert.All(steps025.Where(s => Step(s) == "not_valid"), s => Assert.Contains($"ShareRowExclusiveLock on {s.GetTagItem("db.collection.name")}", (string)s.GetTagItem("fkharness.locks")!, StringComparison.Ordinal));
        foreach (var finding in Catalog.TextForeignKeys)
        {
            var batches = steps025.Where(s => Step(s) == "cleanup_batch" && (string?)s.GetTagItem("db.collection.name") == finding.SourceTable).ToList();
            var planted = manifest.For(finding.SourceTable, finding.SourceColumn).OrphanCount;
            Assert.Equal(planted, batches.Sum(s => (long)s.GetTagItem("db.rows_affected")!));
            Assert.Equal(Enumerable.Range(1, batches.Count), batches.Select(s => (int)s.GetTagItem("fkharness.batch")!).Order());
        }

        Assert.Equal(
            ["alert_condition_groups", "alert_escalations", "approval_rules", "deployment_approvals"],
            TablesOf(steps026, "index_build"));
        var triggers = steps026.Where(s => Step(s) == "trigger").Select(s => (string)s.GetTagItem("fkharness.object")!).Order().ToList();
        Assert.Equal(Catalog.ArrayForeignKeys.SelectMany(f => f.Triggers).Order(), triggers.Where(t => !t.Contains("_array_refs_", StringComparison.Ordinal)));
        Assert.Equal(6, triggers.Count(t => t.Contains("_array_refs_", StringComparison.Ordinal)));
    }

    private static string? Step(Activity span) => span.GetTagItem("fkharness.step") as string;

    private static List<string> TablesOf(IEnumerable<Activity> spans, string step) =>
        [.. spans.Where(s => Step(s) == step).Select(s => (string)s.GetTagItem("db.collection.name")!).Order()];
}
