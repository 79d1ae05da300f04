using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct DashboardWidgetRow(
    long Id, string UserId, string WidgetType, string Title, int Position, string Config, DateTime CreatedAt);

/// <summary>
/// Dashboards per user: about a third of people never build one, the rest have a few widgets and
/// some power users dozens. Finding 1 (required FK): orphans here are deleted by 025.
/// </summary>
internal sealed class DashboardWidgetsTable : SeedTable<DashboardWidgetRow>
{
    private readonly SeedContext _context;
    private readonly TextOrphanPlanter _planter;

    public DashboardWidgetsTable(SeedContext context)
    {
        _context = context;
        _planter = context.TextPlanter(Name, "user_id", nullable: false);
    }

    public override string Name => "dashboard_widgets";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("user_id"), SeedColumn.Text("widget_type"), SeedColumn.Text("title"),
        SeedColumn.Integer("position"), SeedColumn.Jsonb("config"), SeedColumn.Timestamp("created_at"),
    ];

    protected override IEnumerable<DashboardWidgetRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var users = _context.Users;
        long id = 0;
        for (var slot = 0; slot < users.SlotCount; slot++)
        {
            if (users.KindOf(slot) != UserSlotKind.Person || !Skewed.Chance(random, 0.65))
            {
                continue;
            }

            var widgets = 1 + (int)(14 * Math.Pow(random.Double(), 2));
            var userId = users.UserIdOf(slot);
            var setUpAt = Timeline.Later(users.CreatedAt(slot), TimeSpan.FromHours(Skewed.LogUniform(random, 0.1, 24 * 60)));
            for (var position = 0; position < widgets; position++)
            {
                var type = Skewed.Pick(random, PlatformVocabulary.WidgetTypes, skew: 1.6);
                var service = Skewed.Pick(random, PlatformVocabulary.Services, skew: 2);
                var range = Skewed.Pick(random, PlatformVocabulary.TimeRanges, skew: 1.5);
                var refresh = random.ArrayElement([15, 30, 60, 300]);
                var title = type switch
                {
                    "deployment_feed" => $"Deployments: {service}",
                    "alert_list" => $"Open alerts ({service})",
                    "log_stream" => $"Errors in {service}",
                    _ => $"{service} {random.ArrayElement(["latency", "throughput", "error rate", "saturation"])}",
                };
                var config = $$"""{"service": "{{service}}", "time_range": "{{range}}", "refresh_secs": {{refresh}}}""";
                var createdAt = Timeline.Later(setUpAt, TimeSpan.FromDays(position == 0 ? 0 : Skewed.LogUniform(random, 0.01, 120)));
                id++;
                var stored = _planter.Apply(id, slot, userId)!;
                yield return new DashboardWidgetRow(id, stored, type, title, position, config, createdAt);
            }
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in DashboardWidgetRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.UserId);
        importer.WriteText(row.WidgetType);
        importer.WriteText(row.Title);
        importer.WriteInteger(row.Position);
        importer.WriteJsonb(row.Config);
        importer.WriteTimestamp(row.CreatedAt);
    }
}
