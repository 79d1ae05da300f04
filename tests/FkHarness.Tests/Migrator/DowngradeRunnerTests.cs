using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;
using static FkHarness.Tests.Migrator.MigratorDatabases;

namespace FkHarness.Tests.Migrator;

[Collection(PostgresTests.Name)]
public sealed class DowngradeRunnerTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Down_RollsBackNewestFirstAndRemovesTheJournalRows()
    {
        await using var db = await BaselineAsync(fixture);
        await new UpgradeRunner().UpAsync(db.ConnectionString);

        var result = await new DowngradeRunner().DownAsync(db.ConnectionString);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal([Up026, Up025], result.RolledBack);
        Assert.Empty(await JournalAsync(db));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'trg_check_%'"));
    }

    [Fact]
    public async Task DownTo025_RollsBackOnly026()
    {
        await using var db = await BaselineAsync(fixture);
        await new UpgradeRunner().UpAsync(db.ConnectionString);

        var result = await new DowngradeRunner().DownAsync(db.ConnectionString, to: "025");

        Assert.Equal([Up026], result.RolledBack);
        Assert.Equal([Up025], await JournalAsync(db));
    }

    [Fact]
    public async Task Down_WithNothingApplied_IsANoOp()
    {
        await using var db = await BaselineAsync(fixture);
        var before = await TableChecksums.TakeAsync(db.ConnectionString);

        var result = await new DowngradeRunner().DownAsync(db.ConnectionString);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Empty(result.RolledBack);
        Assert.Equal(before, await TableChecksums.TakeAsync(db.ConnectionString));
    }

    [Fact]
    public async Task UpDownUp_EndsWhereUpEnds()
    {
        await using var db = await BaselineAsync(fixture);
        var runner = new UpgradeRunner();
        await runner.UpAsync(db.ConnectionString);
        await new DowngradeRunner().DownAsync(db.ConnectionString);

        var again = await runner.UpAsync(db.ConnectionString);

        Assert.True(again.Succeeded, again.Error?.Message);
        Assert.Equal([Up025, Up026], again.Applied);
        Assert.Equal([Up025, Up026], await JournalAsync(db));
    }
}
