using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Seeding;

/// <summary>The same seed gives the same database, byte for byte; another seed gives another.</summary>
[Collection(PostgresTests.Name)]
public sealed class SeederDeterminismTests(PostgresFixture fixture)
{
    [Fact]
    public async Task SameSeed_GivesIdenticalTableChecksums()
    {
        await using var seeded = (await SeededTemplate.CreateAsync(fixture)).Database;
        await using var again = await BaselineTemplate.CreateAsync(fixture);

        var result = await SeedingDatabase.SeedOrFailAsync(again);

        Assert.Equal(await TableChecksums.TakeAsync(seeded.ConnectionString), await TableChecksums.TakeAsync(again.ConnectionString));
        Assert.Equal(SeededTemplate.Manifest.ToJson(), result.Manifest.ToJson());
    }

    [Fact]
    public async Task DifferentSeed_ChangesEveryTable()
    {
        await using var seeded = (await SeededTemplate.CreateAsync(fixture)).Database;
        await using var other = await BaselineTemplate.CreateAsync(fixture);

        await SeedingDatabase.SeedOrFailAsync(other, o => o with { Seed = o.Seed + 1 });

        var expected = await TableChecksums.TakeAsync(seeded.ConnectionString);
        var actual = await TableChecksums.TakeAsync(other.ConnectionString);
        var unchanged = expected.Keys.Where(table => expected[table] == actual[table]).ToList();
        Assert.True(unchanged.Count == 0, "Tables identical under another seed: " + string.Join(", ", unchanged));
    }

    [Fact]
    public async Task OrphanRate_ChangesOnlyPlantedCells()
    {
        // Planting draws from its own random streams, so the rate moves orphans in and out of
        // otherwise identical data: the row counts stay the same.
        await using var seeded = (await SeededTemplate.CreateAsync(fixture)).Database;
        await using var clean = await BaselineTemplate.CreateAsync(fixture);

        var result = await SeedingDatabase.SeedOrFailAsync(clean, o => o with { OrphanRate = 0 });

        Assert.Equal(SeededTemplate.Manifest.RowCounts, result.Manifest.RowCounts);
        Assert.All(result.Manifest.Findings, f => Assert.Empty(f.Planted));
        Assert.Equal(
            await clean.ScalarAsync<string>("SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM deployments AS t"),
            await seeded.ScalarAsync<string>("SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM deployments AS t"));
    }
}
