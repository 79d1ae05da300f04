using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct AlertEscalationRow(
    long Id, long ConditionGroupId, int Level, long?[]? UserIds, int NotifyAfterMins, DateTime CreatedAt);

/// <summary>
/// One to four escalation levels per condition group, each paging more people later. user_ids is
/// nullable: NULL means "notify nobody at this level", which is legal. Finding 11 (array FK).
/// </summary>
internal sealed class AlertEscalationsTable : SeedTable<AlertEscalationRow>
{
    private static readonly int[][] DelaysByLevel = [[5, 10, 15], [15, 30], [60], [120, 240]];

    private readonly SeedContext _context;
    private readonly IIdTarget _responders;
    private readonly ArrayOrphanPlanter _planter;

    public AlertEscalationsTable(SeedContext context)
    {
        _context = context;
        _responders = new UserAccountTarget(context.Users);
        _planter = context.ArrayPlanter(Name, "user_ids", nullable: true, _responders);
    }

    public override string Name => "alert_escalations";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Bigint("condition_group_id"), SeedColumn.Integer("level"),
        SeedColumn.BigintArray("user_ids", nullable: true), SeedColumn.Integer("notify_after_mins"), SeedColumn.Timestamp("created_at"),
    ];

    protected override IEnumerable<AlertEscalationRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        long id = 0;
        for (long group = 1; group <= _context.Plan.AlertConditionGroups; group++)
        {
            var levels = random.Number(1, 4);
            var createdAt = Timeline.Later(AlertConditionGroupsTable.CreatedAt(_context, group), TimeSpan.FromMinutes(random.Number(1, 600)));
            for (var level = 1; level <= levels; level++)
            {
                id++;
                long?[]? responders = Skewed.Chance(random, 0.03) ? null : DistinctIds.Pick(random, _responders, random.Number(1, level + 1));
                var delay = random.ArrayElement(DelaysByLevel[level - 1]);
                yield return new AlertEscalationRow(id, group, level, _planter.Apply(id, responders), delay, createdAt);
            }
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in AlertEscalationRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteBigint(row.ConditionGroupId);
        importer.WriteInteger(row.Level);
        importer.WriteBigintArray(row.UserIds);
        importer.WriteInteger(row.NotifyAfterMins);
        importer.WriteTimestamp(row.CreatedAt);
    }
}
