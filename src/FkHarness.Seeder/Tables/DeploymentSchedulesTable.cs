using System.Globalization;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct DeploymentScheduleRow(
    long Id, long DeploymentId, string CronExpression, string Timezone, string? CreatedBy, bool Enabled, DateTime? NextRunAt);

/// <summary>
/// Recurring deploy schedules as cron expressions: a few standard ones and many hand-tuned.
/// Finding 5 (nullable FK: 025 nulls orphans).
/// </summary>
internal sealed class DeploymentSchedulesTable : SeedTable<DeploymentScheduleRow>
{
    private readonly SeedContext _context;
    private readonly TextOrphanPlanter _planter;

    public DeploymentSchedulesTable(SeedContext context)
    {
        _context = context;
        _planter = context.TextPlanter(Name, "created_by", nullable: true);
    }

    public override string Name => "deployment_schedules";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Bigint("deployment_id"), SeedColumn.Text("cron_expression"), SeedColumn.Text("timezone"),
        SeedColumn.Text("created_by", nullable: true), SeedColumn.Boolean("enabled"), SeedColumn.Timestamp("next_run_at", nullable: true),
    ];

    protected override IEnumerable<DeploymentScheduleRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.DeploymentSchedules;
        var users = _context.Users;
        for (long id = 1; id <= count; id++)
        {
            var deploymentId = random.Number(1, _context.Plan.Deployments);
            var cron = Skewed.Chance(random, 0.6)
                ? Skewed.Pick(random, PlatformVocabulary.CronExpressions, skew: 1.5)
                : string.Create(CultureInfo.InvariantCulture, $"{random.Number(0, 59)} {random.Number(0, 23)} * * {random.ArrayElement(["*", "1-5", "0", "6"])}");
            var timezone = Skewed.Pick(random, PlatformVocabulary.Timezones, skew: 2.5);
            var owner = users.PickPerson(random, skew: 3);
            var createdBy = Skewed.Chance(random, 0.15) ? null : users.UserIdOf(owner);
            var enabled = Skewed.Chance(random, 0.85);
            DateTime? nextRun = enabled ? Timeline.End.AddMinutes(random.Number(1, 7 * 24 * 60)) : null;
            yield return new DeploymentScheduleRow(id, deploymentId, cron, timezone, _planter.Apply(id, owner, createdBy), enabled, nextRun);
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in DeploymentScheduleRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteBigint(row.DeploymentId);
        importer.WriteText(row.CronExpression);
        importer.WriteText(row.Timezone);
        importer.WriteText(row.CreatedBy);
        importer.WriteBoolean(row.Enabled);
        importer.WriteTimestamp(row.NextRunAt);
    }
}
