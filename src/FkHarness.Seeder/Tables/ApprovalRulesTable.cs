using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct ApprovalRuleRow(
    long Id, string Name, string Environment, int MinApprovals, long?[] AllowedApprovers, DateTime CreatedAt);

/// <summary>Who may approve deploys of a service to an environment. Finding 12 (array FK: 026 guards it).</summary>
internal sealed class ApprovalRulesTable : SeedTable<ApprovalRuleRow>
{
    private readonly SeedContext _context;
    private readonly IIdTarget _approvers;
    private readonly ArrayOrphanPlanter _planter;

    public ApprovalRulesTable(SeedContext context)
    {
        _context = context;
        _approvers = new UserAccountTarget(context.Users);
        _planter = context.ArrayPlanter(Name, "allowed_approvers", nullable: false, _approvers);
    }

    public override string Name => "approval_rules";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("name"), SeedColumn.Text("environment"), SeedColumn.Integer("min_approvals"),
        SeedColumn.BigintArray("allowed_approvers"), SeedColumn.Timestamp("created_at"),
    ];

    protected override IEnumerable<ApprovalRuleRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.ApprovalRules;
        var clock = _context.ClockKey(Name);
        for (long id = 1; id <= count; id++)
        {
            var service = Skewed.Pick(random, PlatformVocabulary.Services, skew: 1.5);
            var environment = random.Double() < 0.6 ? "production" : "staging";
            var minApprovals = random.Double() switch
            {
                < 0.5 => 1,
                < 0.9 => 2,
                _ => 3,
            };
            var approvers = DistinctIds.Pick(random, _approvers, random.Number(minApprovals + 1, 8));
            yield return new ApprovalRuleRow(
                id, $"{environment} deploys of {service}", environment, minApprovals, _planter.Apply(id, approvers)!,
                Timeline.Activity(id, count, clock));
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in ApprovalRuleRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.Name);
        importer.WriteText(row.Environment);
        importer.WriteInteger(row.MinApprovals);
        importer.WriteBigintArray(row.AllowedApprovers);
        importer.WriteTimestamp(row.CreatedAt);
    }
}
