using System.Globalization;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct MigrationRollbackRow(long Id, string MigrationName, string? InitiatedBy, string Reason, DateTime RolledBackAt);

/// <summary>
/// The rare schema rollbacks, with the reasons operators write down. Finding 8 (nullable FK:
/// 025 nulls orphans); rollbacks started by the pipeline have no initiator.
/// </summary>
internal sealed class MigrationRollbackAuditTable : SeedTable<MigrationRollbackRow>
{
    private readonly SeedContext _context;
    private readonly TextOrphanPlanter _planter;

    public MigrationRollbackAuditTable(SeedContext context)
    {
        _context = context;
        _planter = context.TextPlanter(Name, "initiated_by", nullable: true);
    }

    public override string Name => "migration_rollback_audit";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("migration_name"), SeedColumn.Text("initiated_by", nullable: true),
        SeedColumn.Text("reason"), SeedColumn.Timestamp("rolled_back_at"),
    ];

    protected override IEnumerable<MigrationRollbackRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.RollbackAudits;
        var clock = _context.ClockKey(Name);
        var users = _context.Users;
        for (long id = 1; id <= count; id++)
        {
            var when = Timeline.ActivityFraction(id, count, clock);
            // Migration numbers grow with time: the platform had reached 023 when the FK audit ran.
            var number = 1 + (int)(when * 22) + random.Number(0, 1);
            var table = random.ArrayElement(PlatformVocabulary.Tables);
            var migration = string.Create(CultureInfo.InvariantCulture,
                $"{number:D3}_{random.ArrayElement(PlatformVocabulary.MigrationVerbs)}_{random.ArrayElement(PlatformVocabulary.ColumnNames)}_on_{table}");
            var reason = string.Format(CultureInfo.InvariantCulture, random.ArrayElement(PlatformVocabulary.RollbackReasons), table);
            var owner = users.PickPerson(random, skew: 3, when);
            var initiatedBy = Skewed.Chance(random, 0.2) ? null : users.UserIdOf(owner);
            yield return new MigrationRollbackRow(id, migration, _planter.Apply(id, owner, initiatedBy), reason, Timeline.At(when));
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in MigrationRollbackRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.MigrationName);
        importer.WriteText(row.InitiatedBy);
        importer.WriteText(row.Reason);
        importer.WriteTimestamp(row.RolledBackAt);
    }
}
