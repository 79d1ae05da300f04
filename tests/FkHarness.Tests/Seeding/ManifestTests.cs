using FkHarness.Catalog;
using FkHarness.Seeder.Manifest;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Seeding;

/// <summary>The manifest is the ground truth: it must agree with the database row for row.</summary>
[Collection(PostgresTests.Name)]
public sealed class ManifestTests(PostgresFixture fixture)
{
    [Fact]
    public async Task EveryPlantedRow_HoldsExactlyThePlantedValue()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;

        foreach (var finding in manifest.Findings)
        {
            var stored = await PlantedValues.ReadAsync(database, finding);
            foreach (var planted in finding.Planted)
            {
                Assert.True(stored.TryGetValue(planted.Id, out var value), $"{finding.Relationship} row {planted.Id} is missing");
                Assert.True(planted.Value == value, $"{finding.Relationship} row {planted.Id} ({planted.OrphanKind}): planted '{planted.Value}', stored '{value}'");
            }
        }
    }

    [Fact]
    public async Task TheOrphansInTheDatabase_AreExactlyTheManifestsOrphans()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;

        foreach (var finding in manifest.Findings)
        {
            Assert.Equal(finding.Orphans.Select(o => o.Id).ToList(), await PlantedValues.OrphanIdsAsync(database, finding));
        }
    }

    [Fact]
    public async Task EveryRelationship_GetsEveryKindItCanHold()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;
        var catalog = ForeignKeyCatalog.LoadEmbedded();

        foreach (var finding in catalog.Findings)
        {
            var nullable = await database.ScalarAsync<bool>(
                $"SELECT is_nullable = 'YES' FROM information_schema.columns WHERE table_name = '{finding.SourceTable}' AND column_name = '{finding.SourceColumn}'");
            var planted = manifest.For(finding.Id).Planted.Select(p => p.OrphanKind).ToHashSet();
            Assert.Equal(OrphanKinds.For(finding, nullable).Order(), planted.Order());
        }
    }

    [Fact]
    public async Task ExpectedActions_FollowTheCatalog()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;

        foreach (var finding in ForeignKeyCatalog.LoadEmbedded().Findings)
        {
            foreach (var planted in manifest.For(finding.Id).Planted)
            {
                var expected = planted.IsOrphan && finding.IsTextForeignKey
                    ? (finding.Cleanup == "delete" ? ExpectedAction.Delete : ExpectedAction.SetNull)
                    : ExpectedAction.Leave;
                Assert.Equal(expected, planted.ExpectedAction);
            }
        }
    }

    [Fact]
    public async Task PlantedExternalIds_MatchNoUser()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;

        foreach (var finding in manifest.Findings.Where(f => f.Kind == ForeignKeyKind.ExternalId))
        {
            Assert.NotEmpty(finding.Planted);
            Assert.Equal(0L, await database.ScalarAsync<long>(
                $"SELECT count(*) FROM {finding.SourceTable} AS t JOIN users AS u ON u.user_id = t.{finding.SourceColumn}"));
        }
    }

    [Fact]
    public async Task RowCounts_AreTheTablesRowCounts()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;

        Assert.Equal(17, manifest.RowCounts.Count);
        foreach (var (table, rows) in manifest.RowCounts)
        {
            Assert.Equal(rows, await database.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
        }
    }

    [Fact]
    public async Task Manifest_RoundTripsThroughItsFile_InSnakeCase()
    {
        var (database, manifest) = await SeededTemplate.CreateAsync(fixture);
        await using var _ = database;
        var path = Path.Combine(Path.GetTempPath(), $"fkharness-manifest-{Guid.NewGuid():N}.json");
        try
        {
            await manifest.SaveAsync(path, CancellationToken.None);

            var json = await File.ReadAllTextAsync(path);
            Assert.Contains("\"finding_id\": 1", json);
            Assert.Contains("\"orphan_kind\": \"whitespace_variant\"", json);
            Assert.Contains("\"expected_action\": \"set_null\"", json);
            Assert.Contains("\"kind\": \"text_fk_required\"", json);
            Assert.Equal(manifest.ToJson(), OrphanManifest.Load(path).ToJson());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
