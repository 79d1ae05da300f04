using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct DeploymentApprovalRow(
    long Id, long DeploymentId, long?[] ApprovedBy, string Status, string? Comment, DateTime CreatedAt);

/// <summary>
/// Approvals of deployments: approved ones carry their approvers' users.id values, pending ones
/// an empty array (legal). Finding 10 (array FK: 026 guards it, changes no data).
/// </summary>
internal sealed class DeploymentApprovalsTable : SeedTable<DeploymentApprovalRow>
{
    private readonly SeedContext _context;
    private readonly IIdTarget _approvers;
    private readonly ArrayOrphanPlanter _planter;

    public DeploymentApprovalsTable(SeedContext context)
    {
        _context = context;
        _approvers = new UserAccountTarget(context.Users);
        _planter = context.ArrayPlanter(Name, "approved_by", nullable: false, _approvers);
    }

    public override string Name => "deployment_approvals";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Bigint("deployment_id"), SeedColumn.BigintArray("approved_by"), SeedColumn.Text("status"),
        SeedColumn.Text("comment", nullable: true), SeedColumn.Timestamp("created_at"),
    ];

    protected override IEnumerable<DeploymentApprovalRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.DeploymentApprovals;
        var deployments = _context.Plan.Deployments;
        for (long id = 1; id <= count; id++)
        {
            var deploymentId = Math.Clamp((long)Math.Round((double)id * deployments / count) - random.Number(0, 5), 1, deployments);
            var (status, approvers) = random.Double() switch
            {
                < 0.78 => ("approved", random.Number(1, 3)),
                < 0.93 => ("pending", 0),
                _ => ("rejected", 1),
            };
            long?[] approvedBy = approvers == 0 ? [] : DistinctIds.Pick(random, _approvers, approvers);
            var comment = status switch
            {
                "rejected" => random.ArrayElement(PlatformVocabulary.RejectionComments), // nobody rejects without saying why
                _ when !Skewed.Chance(random, 0.4) => null,
                "pending" => random.ArrayElement(PlatformVocabulary.PendingComments),
                _ => random.ArrayElement(PlatformVocabulary.ApprovalComments),
            };
            var createdAt = Timeline.Later(DeploymentsTable.CreatedAt(_context, deploymentId), TimeSpan.FromMinutes(Skewed.LogUniform(random, 1, 240)));
            yield return new DeploymentApprovalRow(id, deploymentId, _planter.Apply(id, approvedBy)!, status, comment, createdAt);
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in DeploymentApprovalRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteBigint(row.DeploymentId);
        importer.WriteBigintArray(row.ApprovedBy);
        importer.WriteText(row.Status);
        importer.WriteText(row.Comment);
        importer.WriteTimestamp(row.CreatedAt);
    }
}
