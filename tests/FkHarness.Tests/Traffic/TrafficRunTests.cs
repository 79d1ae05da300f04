using FkHarness.Migrator;
using FkHarness.Rehearsal.Traffic;
using FkHarness.Rehearsal.Verification;
using FkHarness.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FkHarness.Tests.Traffic;

/// <summary>
/// The synthetic writers on a seeded clone while 025 and 026 go up: they lose nothing, are
/// rejected only with 23503, run as fkharness-traffic, and leave no row behind; and the lost-write
/// check fails when a committed row is deleted behind their back.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class TrafficRunTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private static readonly TrafficOptions Fast = new()
    {
        Rate = 200,
        WarmUp = TimeSpan.Zero,
        BeforeWindow = TimeSpan.FromMilliseconds(500),
        AfterWindow = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task WritersDuringUp_LoseNothing_Only23503_AndLeaveNoRowBehind()
    {
        var (db, _) = await SeededTemplate.CreateAsync(fixture);
        await using var _db = db;
        var maxIds = await MaxIdsAsync(db);

        await using var run = await TrafficRun.StartAsync(db.ConnectionString, Fast, CancellationToken.None);
        await run.BeforeWindowAsync(CancellationToken.None);
        var sessions = await db.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{TrafficOptions.ApplicationName}' AND datname = current_database()");
        var up = await new UpgradeRunner().UpAsync(db.ConnectionString);
        var result = await run.StopAsync(CancellationToken.None);
        Describe(result);

        Assert.True(up.Succeeded, up.Error?.Message);
        Assert.True(sessions >= 1, "no session named fkharness-traffic while the writers ran");
        Assert.NotNull(result.LostWrites);
        Assert.True(result.LostWrites!.Checked > 0);
        Assert.Equal(0, result.LostWrites.Lost);
        Assert.Empty(result.Problems);
        Assert.All(result.FailuresBySqlState.Keys, state => Assert.Equal("23503", state));
        Assert.True(result.FailuresBySqlState.GetValueOrDefault("23503") > 0, "no invalid write was rejected once the FKs and triggers were on");
        Assert.All(TrafficChecks.For(result), c => Assert.True(c.Outcome == CheckOutcome.Passed, $"{c.Name}: {c.Explained}"));

        Assert.True(result.RowsRemoved.Values.Sum() > 0);
        foreach (var (table, max) in maxIds)
        {
            Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE id > {max}"));
        }
    }

    [Fact]
    public async Task LostWriteCheck_Fails_WhenACommittedRowIsDeletedBehindTheWritersBack()
    {
        var (db, _) = await SeededTemplate.CreateAsync(fixture);
        await using var _db = db;

        await using var run = await TrafficRun.StartAsync(db.ConnectionString, Fast, CancellationToken.None);
        await run.BeforeWindowAsync(CancellationToken.None);
        var up = await new UpgradeRunner().UpAsync(db.ConnectionString);
        (string Table, long Id)? deleted = null;
        var result = await run.StopAsync(async ledger =>
        {
            var ((table, id), _) = ledger.TextRows.First(r => !ledger.Uncertain.Contains(r.Key));
            await db.ExecuteAsync($"DELETE FROM {table} WHERE id = {id}");
            deleted = (table, id);
        }, CancellationToken.None);
        Describe(result);

        Assert.True(up.Succeeded, up.Error?.Message);
        Assert.NotNull(deleted);
        Assert.Equal(1, result.LostWrites!.Lost);
        Assert.StartsWith($"{deleted!.Value.Table} #{deleted.Value.Id}: wrote", Assert.Single(result.LostWrites.Examples));
        Assert.EndsWith("found no row", result.LostWrites.Examples[0]);
        var check = Assert.Single(TrafficChecks.For(result), c => c.Name.StartsWith("no valid traffic write lost", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Failed, check.Outcome);
        Assert.Contains($"{deleted.Value.Table} #{deleted.Value.Id}", check.Explained);
    }

    private static async Task<Dictionary<string, long>> MaxIdsAsync(TestDatabase db)
    {
        var maxIds = new Dictionary<string, long>();
        foreach (var table in TrafficWorld.WrittenTables)
        {
            maxIds[table] = await db.ScalarAsync<long>($"SELECT coalesce(max(id), 0) FROM {table}");
        }

        return maxIds;
    }

    private void Describe(TrafficResult result)
    {
        output.WriteLine($"{result.Samples.Count} writes, {result.InvalidTried} invalid tried; failures: {string.Join(", ", result.FailuresBySqlState.Select(f => $"{f.Key} × {f.Value}"))}");
        output.WriteLine($"lost: {result.LostWrites?.Lost} of {result.LostWrites?.Checked}; {string.Join("; ", result.LostWrites?.Examples ?? [])}");
        foreach (var problem in result.Problems.Concat(result.Examples.Select(e => $"{e.SqlState} {e.Kind}: {e.Message}")))
        {
            output.WriteLine(problem);
        }
    }
}
