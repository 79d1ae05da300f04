using System.Globalization;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct DatabaseBackupRow(
    long Id, string DatabaseName, string BackupType, long SizeBytes, string StoragePath, string? CreatedBy,
    DateTime CreatedAt, DateTime? CompletedAt);

/// <summary>
/// Scheduled and manual backups; sizes log-normal by type, duration following size, a few never
/// completed. Most are taken by the scheduler (no user). Finding 6 (nullable FK: 025 nulls orphans).
/// </summary>
internal sealed class DatabaseBackupsTable : SeedTable<DatabaseBackupRow>
{
    public const string TableName = "database_backups";

    private readonly SeedContext _context;
    private readonly TextOrphanPlanter _planter;

    public DatabaseBackupsTable(SeedContext context)
    {
        _context = context;
        _planter = context.TextPlanter(Name, "created_by", nullable: true);
    }

    public override string Name => TableName;

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("database_name"), SeedColumn.Text("backup_type"), SeedColumn.Bigint("size_bytes"),
        SeedColumn.Text("storage_path"), SeedColumn.Text("created_by", nullable: true), SeedColumn.Timestamp("created_at"),
        SeedColumn.Timestamp("completed_at", nullable: true),
    ];

    /// <summary>When backup <paramref name="id"/> was taken: restores happen after it.</summary>
    public static DateTime CreatedAt(SeedContext context, long id) =>
        Timeline.Activity(id, context.Plan.DatabaseBackups, context.ClockKey(TableName));

    protected override IEnumerable<DatabaseBackupRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.DatabaseBackups;
        var users = _context.Users;
        for (long id = 1; id <= count; id++)
        {
            var database = Skewed.Pick(random, PlatformVocabulary.Databases, skew: 1.3) + (Skewed.Chance(random, 0.8) ? "_prod" : "_staging");
            var (type, low, high) = random.Double() switch
            {
                < 0.25 => ("full", 2e9, 4e11),
                < 0.90 => ("incremental", 5e7, 2e10),
                _ => ("logical", 1e8, 5e10),
            };
            var size = (long)Skewed.LogUniform(random, low, high);
            var createdAt = CreatedAt(_context, id);
            var when = (createdAt - Timeline.Start) / Timeline.Span;
            var owner = users.PickPerson(random, skew: 3, when);
            var createdBy = Skewed.Chance(random, 0.65) ? null : users.UserIdOf(owner);
            var throughput = random.Number(100, 400) * 1e6; // bytes per second
            DateTime? completedAt = Skewed.Chance(random, 0.015) ? null : Timeline.Later(createdAt, TimeSpan.FromSeconds(5 + (size / throughput)));
            var path = string.Create(CultureInfo.InvariantCulture, $"s3://northwind-db-backups/{database}/{createdAt:yyyy/MM/dd}/{id:D8}-{type}.dump");
            yield return new DatabaseBackupRow(id, database, type, size, path, _planter.Apply(id, owner, createdBy), createdAt, completedAt);
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in DatabaseBackupRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.DatabaseName);
        importer.WriteText(row.BackupType);
        importer.WriteBigint(row.SizeBytes);
        importer.WriteText(row.StoragePath);
        importer.WriteText(row.CreatedBy);
        importer.WriteTimestamp(row.CreatedAt);
        importer.WriteTimestamp(row.CompletedAt);
    }
}
