using System.Globalization;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct BackupRestoreRow(
    long Id, long BackupId, string? RestoredBy, string TargetDatabase, string Status, DateTime RestoredAt);

/// <summary>
/// Restore drills and the occasional real restore, hours to days after the backup they use.
/// Finding 7 (nullable FK: 025 nulls orphans).
/// </summary>
internal sealed class BackupRestoreHistoryTable : SeedTable<BackupRestoreRow>
{
    private readonly SeedContext _context;
    private readonly TextOrphanPlanter _planter;

    public BackupRestoreHistoryTable(SeedContext context)
    {
        _context = context;
        _planter = context.TextPlanter(Name, "restored_by", nullable: true);
    }

    public override string Name => "backup_restore_history";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Bigint("backup_id"), SeedColumn.Text("restored_by", nullable: true),
        SeedColumn.Text("target_database"), SeedColumn.Text("status"), SeedColumn.Timestamp("restored_at"),
    ];

    protected override IEnumerable<BackupRestoreRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.BackupRestores;
        var backups = _context.Plan.DatabaseBackups;
        var users = _context.Users;
        for (long id = 1; id <= count; id++)
        {
            var backupId = Math.Clamp((long)Math.Round((double)id * backups / count) - random.Number(0, 25), 1, backups);
            var restoredAt = Timeline.Later(DatabaseBackupsTable.CreatedAt(_context, backupId), TimeSpan.FromHours(Skewed.LogUniform(random, 1, 96)));
            var owner = users.PickPerson(random, skew: 3.5, (restoredAt - Timeline.Start) / Timeline.Span);
            var restoredBy = Skewed.Chance(random, 0.1) ? null : users.UserIdOf(owner);
            var target = random.Double() switch
            {
                < 0.6 => string.Create(CultureInfo.InvariantCulture, $"restore_drill_{restoredAt:yyyyMMdd}"),
                < 0.9 => string.Create(CultureInfo.InvariantCulture, $"staging_restore_{backupId}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"forensics_{random.Number(1, 99):D2}"),
            };
            var status = random.Double() switch
            {
                < 0.88 => "succeeded",
                < 0.96 => "failed",
                _ => "partial",
            };
            yield return new BackupRestoreRow(id, backupId, _planter.Apply(id, owner, restoredBy), target, status, restoredAt);
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in BackupRestoreRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteBigint(row.BackupId);
        importer.WriteText(row.RestoredBy);
        importer.WriteText(row.TargetDatabase);
        importer.WriteText(row.Status);
        importer.WriteTimestamp(row.RestoredAt);
    }
}
