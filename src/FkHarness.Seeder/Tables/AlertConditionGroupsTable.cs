using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct AlertConditionGroupRow(long Id, string Name, string MatchMode, long?[] ConditionIds, DateTime CreatedAt);

/// <summary>Groups of alert conditions that fire together. Finding 13 (array FK to alert_conditions.id).</summary>
internal sealed class AlertConditionGroupsTable : SeedTable<AlertConditionGroupRow>
{
    public const string TableName = "alert_condition_groups";

    private readonly SeedContext _context;
    private readonly IIdTarget _conditions;
    private readonly ArrayOrphanPlanter _planter;

    public AlertConditionGroupsTable(SeedContext context)
    {
        _context = context;
        _conditions = new AlertConditionTarget(context.Plan.AlertConditions);
        _planter = context.ArrayPlanter(Name, "condition_ids", nullable: false, _conditions);
    }

    public override string Name => TableName;

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("name"), SeedColumn.Text("match_mode"), SeedColumn.BigintArray("condition_ids"),
        SeedColumn.Timestamp("created_at"),
    ];

    /// <summary>When group <paramref name="id"/> was created: its escalation levels follow.</summary>
    public static DateTime CreatedAt(SeedContext context, long id) =>
        Timeline.Activity(id, context.Plan.AlertConditionGroups, context.ClockKey(TableName));

    protected override IEnumerable<AlertConditionGroupRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.AlertConditionGroups;
        for (long id = 1; id <= count; id++)
        {
            var service = Skewed.Pick(random, PlatformVocabulary.Services, skew: 1.8);
            var area = random.ArrayElement(["availability", "latency", "capacity", "saturation", "data"]);
            var conditions = DistinctIds.Pick(random, _conditions, random.Number(1, 6));
            yield return new AlertConditionGroupRow(
                id, $"{service} {area}", random.Double() < 0.6 ? "all" : "any", _planter.Apply(id, conditions)!, CreatedAt(_context, id));
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in AlertConditionGroupRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.Name);
        importer.WriteText(row.MatchMode);
        importer.WriteBigintArray(row.ConditionIds);
        importer.WriteTimestamp(row.CreatedAt);
    }
}
