using FkHarness.Catalog;
using FkHarness.Migrator;
using FkHarness.Migrator.Audit;
using FkHarness.Seeder.Manifest;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Seeding;

/// <summary>
/// 024, 025 and 026 on realistic seeded data, checked row for row against the seeder's manifest:
/// the audit counts what was planted, 025 quarantines and removes exactly the planted orphans of
/// the TEXT FKs, and everything legal (NULLs, odd arrays, external ids) survives untouched.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class SeededFixTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Audit_CountsExactlyTheManifestsOrphans_PerRelationship()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;

        var audit = await AuditCounts.ReadAsync(database);

        foreach (var finding in manifest.Findings)
        {
            var counts = audit[finding.FindingId];
            var kinds = finding.Planted.CountBy(p => p.OrphanKind).ToDictionary();
            Assert.True(finding.OrphanCount == counts.OrphanCount, $"{finding.Relationship}: manifest {finding.OrphanCount} orphans, audit {counts.OrphanCount}");
            Assert.Equal(manifest.RowCounts[finding.SourceTable], counts.TotalRows);
            Assert.Equal(kinds.GetValueOrDefault(OrphanKind.EmptyString), counts.EmptyStringCount);
            if (finding.Kind == ForeignKeyKind.ArrayFk)
            {
                Assert.Equal(kinds.GetValueOrDefault(OrphanKind.NullElement), counts.NullElementRows);
                Assert.Equal(kinds.GetValueOrDefault(OrphanKind.MixedArray) + kinds.GetValueOrDefault(OrphanKind.AllInvalidArray), counts.MissingCount);
            }
        }
    }

    [Fact]
    public async Task Up025_QuarantinesExactlyTheManifestsDeleteAndSetNullRows()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;

        await FixMigrations.UpAsync(database, to: "025");

        var expected = manifest.Findings
            .SelectMany(f => f.Planted.Where(p => p.ExpectedAction != ExpectedAction.Leave).Select(p => QuarantineLine(f, p)))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await QuarantineLinesAsync(database));
    }

    [Fact]
    public async Task Up_DeletesAndNullsThePlantedOrphans_AndLeavesEverythingElseThatWasPlanted()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;

        await FixMigrations.UpAsync(database);

        foreach (var finding in manifest.Findings)
        {
            var stored = await PlantedValues.ReadAsync(database, finding);
            foreach (var planted in finding.Planted)
            {
                var state = stored.TryGetValue(planted.Id, out var value) ? value ?? "NULL" : "gone";
                var expected = planted.ExpectedAction switch
                {
                    ExpectedAction.Delete => "gone",
                    ExpectedAction.SetNull => "NULL",
                    _ => planted.Value ?? "NULL",
                };
                Assert.True(expected == state, $"{finding.Relationship} row {planted.Id} ({planted.OrphanKind}, '{planted.Value}'): expected {expected}, found {state}");
            }
        }
    }

    [Fact]
    public async Task Up_RemovesOnlyThePlantedRows_AndAuditFindsNoTextOrphansAfterwards()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;

        await FixMigrations.UpAsync(database);

        var deleted = manifest.Findings.SelectMany(f => f.Planted.Where(p => p.ExpectedAction == ExpectedAction.Delete).Select(_ => f.SourceTable))
            .CountBy(table => table).ToDictionary();
        foreach (var (table, rows) in manifest.RowCounts)
        {
            Assert.Equal(rows - deleted.GetValueOrDefault(table), await database.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
        }

        var audit = await AuditCounts.ReadAsync(database);
        foreach (var finding in manifest.Findings)
        {
            var expected = finding.Kind == ForeignKeyKind.ArrayFk ? finding.OrphanCount : 0; // 026 changes no existing data
            Assert.True(expected == audit[finding.FindingId].OrphanCount, $"{finding.Relationship}: expected {expected} orphans after up, audit found {audit[finding.FindingId].OrphanCount}");
        }
    }

    [Fact]
    public async Task UpThenDown_RestoresTheSeededData()
    {
        var (database, _) = await SeededTemplate.CreateAsync(fixture);
        await using var __ = database;
        var seeded = await TableChecksums.TakeAsync(database.ConnectionString);

        await FixMigrations.UpAsync(database);
        await FixMigrations.DownAsync(database);

        Assert.Equal(seeded, await TableChecksums.TakeAsync(database.ConnectionString));
    }

    [Fact]
    public async Task TheMigrator_OnSeededData_AuditsAndQuarantinesExactlyWhatTheManifestSays()
    {
        // The rehearsal runs the SQL through the migrator, not psql: the same promise, that path.
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;

        var audit = await new AuditRunner().RunAsync(database.ConnectionString);
        Assert.True(audit.Succeeded, audit.Error?.ToString());
        Assert.Equal(
            manifest.Findings.Select(f => (f.FindingId, (long)f.OrphanCount)),
            audit.Relationships.Select(r => (r.FindingId, r.OrphanCount)).OrderBy(r => r.FindingId));

        var up = await new UpgradeRunner().UpAsync(database.ConnectionString);
        Assert.True(up.Succeeded, up.Error?.ToString());

        var expected = manifest.Findings
            .SelectMany(f => f.Planted.Where(p => p.ExpectedAction != ExpectedAction.Leave).Select(p => QuarantineLine(f, p)))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await QuarantineLinesAsync(database));
    }

    private static string QuarantineLine(ManifestFinding finding, PlantedOrphan planted) =>
        $"{finding.SourceTable}.{finding.SourceColumn}#{planted.Id} {(planted.ExpectedAction == ExpectedAction.Delete ? "delete" : "set_null")} '{planted.Value}'";

    private static async Task<List<string>> QuarantineLinesAsync(TestDatabase database)
    {
        // 025's reason_code is its own classification of the orphan, not the seeder's: not compared.
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_name || '.' || column_name || '#' || row_id || ' ' || action || ' ''' || coalesce(old_value, '<null>') || '''' FROM fk_fix.quarantine",
            connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines.Order(StringComparer.Ordinal).ToList();
    }
}
