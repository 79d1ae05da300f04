using FkHarness.Seeder.Generation;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct AlertConditionRow(
    long Id, string Name, string Metric, string Comparison, decimal Threshold, int WindowSecs, DateTime CreatedAt);

/// <summary>Alert conditions per service and metric, with thresholds in each metric's plausible range.</summary>
internal sealed class AlertConditionsTable(SeedContext context) : SeedTable<AlertConditionRow>
{
    public override string Name => "alert_conditions";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("name"), SeedColumn.Text("metric"), SeedColumn.Text("comparison"),
        SeedColumn.Numeric("threshold"), SeedColumn.Integer("window_secs"), SeedColumn.Timestamp("created_at"),
    ];

    protected override IEnumerable<AlertConditionRow> Generate()
    {
        var random = context.FakerFor(Name).Random;
        var count = context.Plan.AlertConditions;
        var clock = context.ClockKey(Name);
        for (long id = 1; id <= count; id++)
        {
            var (metric, label, comparison, low, high) = Skewed.Pick(random, PlatformVocabulary.Metrics, skew: 1.5);
            var service = Skewed.Pick(random, PlatformVocabulary.Services, skew: 2);
            var environment = random.Double() < 0.7 ? "production" : "staging";
            var threshold = Math.Round((decimal)(low + (random.Double() * (high - low))), high >= 100 ? 0 : 2);
            yield return new AlertConditionRow(
                id, $"{label} on {service} ({environment})", metric, comparison, threshold,
                random.ArrayElement(PlatformVocabulary.AlertWindows), Timeline.Activity(id, count, clock));
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in AlertConditionRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.Name);
        importer.WriteText(row.Metric);
        importer.WriteText(row.Comparison);
        importer.WriteNumeric(row.Threshold);
        importer.WriteInteger(row.WindowSecs);
        importer.WriteTimestamp(row.CreatedAt);
    }
}
