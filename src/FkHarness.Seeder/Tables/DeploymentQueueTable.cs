using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct DeploymentQueueRow(
    long Id, long DeploymentId, string? RequestedBy, int Priority, string Status, DateTime QueuedAt);

/// <summary>
/// Queue entries shortly before their deployment; a few people request most deploys and a
/// quarter come from CI with no requester. Finding 4 (nullable FK: 025 nulls orphans).
/// </summary>
internal sealed class DeploymentQueueTable : SeedTable<DeploymentQueueRow>
{
    private readonly SeedContext _context;
    private readonly TextOrphanPlanter _planter;

    public DeploymentQueueTable(SeedContext context)
    {
        _context = context;
        _planter = context.TextPlanter(Name, "requested_by", nullable: true);
    }

    public override string Name => "deployment_queue";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Bigint("deployment_id"), SeedColumn.Text("requested_by", nullable: true),
        SeedColumn.Integer("priority"), SeedColumn.Text("status"), SeedColumn.Timestamp("queued_at"),
    ];

    protected override IEnumerable<DeploymentQueueRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.DeploymentQueue;
        var deployments = _context.Plan.Deployments;
        var users = _context.Users;
        for (long id = 1; id <= count; id++)
        {
            // Entries follow the deployment sequence: entry i belongs to a deployment near i's position.
            var deploymentId = Math.Clamp((long)Math.Round((double)id * deployments / count) - random.Number(0, 3), 1, deployments);
            var deployedAt = DeploymentsTable.CreatedAt(_context, deploymentId);
            var when = (deployedAt - Timeline.Start) / Timeline.Span;
            var owner = users.PickPerson(random, skew: 3.5, when);
            var requestedBy = Skewed.Chance(random, 0.25) ? null : users.UserIdOf(owner);
            var priority = Skewed.Chance(random, 0.7) ? 5 : random.Number(1, 10);
            var status = id > count - Math.Max(1, count / 400)
                ? "queued"
                : random.Double() switch
                {
                    < 0.88 => "done",
                    < 0.94 => "failed",
                    _ => "cancelled",
                };
            var queuedAt = Timeline.Earlier(deployedAt, TimeSpan.FromMinutes(Skewed.LogUniform(random, 0.2, 90)));
            yield return new DeploymentQueueRow(id, deploymentId, _planter.Apply(id, owner, requestedBy), priority, status, queuedAt);
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in DeploymentQueueRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteBigint(row.DeploymentId);
        importer.WriteText(row.RequestedBy);
        importer.WriteInteger(row.Priority);
        importer.WriteText(row.Status);
        importer.WriteTimestamp(row.QueuedAt);
    }
}
