using FkHarness.Migrator;
using FkHarness.Migrator.Scripts;
using FkHarness.Rehearsal.Verification;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Rehearsal;

/// <summary>
/// The rehearsal's 026 check "a DELETE of a row an array still holds is refused" works on any
/// data: where no array holds a row that nothing else references (often so in a real dump), it
/// makes one inside its rolled-back transaction, and leaves the database as it found it.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class TriggerChecksTests(PostgresFixture fixture)
{
    [Fact]
    public async Task TheDeleteChecks_RunAndPass_WhenNoArrayHoldsAnyRow()
    {
        var (db, _) = await SeededTemplate.CreateAsync(fixture);
        await using var _db = db;
        var up = await new UpgradeRunner().UpAsync(db.ConnectionString);
        Assert.True(up.Succeeded, up.Error?.Message);
        await db.ExecuteAsync("""
            UPDATE deployment_approvals SET approved_by = '{}';
            UPDATE alert_escalations SET user_ids = '{}';
            UPDATE approval_rules SET allowed_approvers = '{}';
            UPDATE alert_condition_groups SET condition_ids = '{}';
            """);
        var before = await RowCountsAsync(db);

        await using var connection = await db.OpenAsync();
        var checks = await TriggerChecks.RunAsync(connection, MigrationSet.Load(null).LoadCatalog(), CancellationToken.None);

        var deletes = checks.Where(c => c.Name.StartsWith("DELETE of a row of", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, deletes.Count);
        Assert.All(deletes, c => Assert.True(c.Outcome == CheckOutcome.Passed, $"{c.Name}: {c.Outcome} {c.Detail}"));
        Assert.All(deletes, c => Assert.Contains("made for the check", c.Detail, StringComparison.Ordinal));
        Assert.Equal(before, await RowCountsAsync(db));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM users WHERE user_id LIKE 'fkh_probe_%'"));
    }

    private static Task<List<string>> RowCountsAsync(TestDatabase db) => db.ColumnAsync("""
        SELECT 'users ' || (SELECT count(*) FROM users) UNION ALL SELECT 'alert_conditions ' || (SELECT count(*) FROM alert_conditions)
        UNION ALL SELECT 'held ' || (SELECT count(*) FROM deployment_approvals WHERE approved_by <> '{}')
        """);
}
