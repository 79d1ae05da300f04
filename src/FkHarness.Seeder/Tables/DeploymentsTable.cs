using FkHarness.Seeder.Generation;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct DeploymentRow(
    long Id, string ServiceName, string Environment, string Version, string Status, DateTime CreatedAt, DateTime? FinishedAt);

/// <summary>
/// Deployments over the whole timeline; a handful of services deploy most of the time, each
/// service's versions only go up, and the newest few are still running.
/// </summary>
internal sealed class DeploymentsTable(SeedContext context) : SeedTable<DeploymentRow>
{
    public const string TableName = "deployments";

    public override string Name => TableName;

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("service_name"), SeedColumn.Text("environment"), SeedColumn.Text("version"),
        SeedColumn.Text("status"), SeedColumn.Timestamp("created_at"), SeedColumn.Timestamp("finished_at", nullable: true),
    ];

    /// <summary>When deployment <paramref name="id"/> was created: lets other tables place their rows after it.</summary>
    public static DateTime CreatedAt(SeedContext context, long id) =>
        Timeline.Activity(id, context.Plan.Deployments, context.ClockKey(TableName));

    protected override IEnumerable<DeploymentRow> Generate()
    {
        var random = context.FakerFor(Name).Random;
        var count = context.Plan.Deployments;
        var versions = new Dictionary<string, (int Major, int Minor, int Patch)>();
        for (long id = 1; id <= count; id++)
        {
            var service = Skewed.Pick(random, PlatformVocabulary.Services, skew: 2.2);
            var version = NextVersion(versions, service, random.Double());
            var environment = random.Double() switch
            {
                < 0.45 => "dev",
                < 0.80 => "staging",
                _ => "production",
            };
            var createdAt = CreatedAt(context, id);
            var status = id > count - Math.Max(1, count / 500)
                ? random.ArrayElement(["running", "pending"])
                : random.Double() switch
                {
                    < 0.86 => "succeeded",
                    < 0.94 => "failed",
                    < 0.98 => "rolled_back",
                    _ => "cancelled",
                };
            DateTime? finishedAt = status is "running" or "pending"
                ? null
                : Timeline.Later(createdAt, TimeSpan.FromMinutes(Skewed.LogUniform(random, 1, 45)));
            yield return new DeploymentRow(id, service, environment, version, status, createdAt, finishedAt);
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in DeploymentRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.ServiceName);
        importer.WriteText(row.Environment);
        importer.WriteText(row.Version);
        importer.WriteText(row.Status);
        importer.WriteTimestamp(row.CreatedAt);
        importer.WriteTimestamp(row.FinishedAt);
    }

    private static string NextVersion(Dictionary<string, (int Major, int Minor, int Patch)> versions, string service, double roll)
    {
        var (major, minor, patch) = versions.GetValueOrDefault(service, (1, 0, 0));
        (major, minor, patch) = roll switch
        {
            < 0.002 => (major + 1, 0, 0),
            < 0.15 => (major, minor + 1, 0),
            < 0.85 => (major, minor, patch + 1),
            _ => (major, minor, patch), // a redeploy of the same version
        };
        versions[service] = (major, minor, patch);
        return $"{major}.{minor}.{patch}";
    }
}
