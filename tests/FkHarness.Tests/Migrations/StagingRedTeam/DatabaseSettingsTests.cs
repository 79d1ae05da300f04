using FkHarness.Tests.Infrastructure;
using FkHarness.Tests.Migrations.Staging;

namespace FkHarness.Tests.Migrations.StagingRedTeam;

/// <summary>Settings a staging database or its owner role carries, set with ALTER DATABASE / ALTER ROLE ... SET.</summary>
[Collection(PostgresTests.Name)]
public sealed class DatabaseSettingsTests(PostgresFixture fixture)
{
    [Theory]
    [InlineData("idle_in_transaction_session_timeout = '50ms'")]
    [InlineData("statement_timeout = '150ms'")]
    [InlineData("lock_timeout = '10ms'")]
    [InlineData("synchronous_commit = 'off'")]
    [InlineData("default_transaction_isolation = 'repeatable read'")]
    public async Task UpDown_ByAnOwnerRoleWithTheSetting_CleansAndRestoresExactly(string setting)
    {
        await using var owner = await TestRole.CreateAsync(fixture);
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            INSERT INTO error_logs (id, user_id, severity, message) SELECT g, CASE WHEN g % 3 = 0 THEN 'usr_gone' ELSE 'usr_bob' END, 'error', 'm' || g FROM generate_series(1, 20000) AS g;
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) SELECT g, CASE WHEN g % 5 = 0 THEN 'usr_gone' || g ELSE 'usr_alice' END, 'chart', 't' FROM generate_series(1, 5000) AS g;
            INSERT INTO deployment_approvals (id, deployment_id, approved_by) SELECT g, 1, '{1,2}' FROM generate_series(1, 2000) AS g;
            """);
        await owner.OwnApplicationTablesAsync(database);
        await database.ExecuteAsync($"ALTER ROLE {owner.Name} IN DATABASE \"{database.Name}\" SET {setting}");
        var before = await RoundTrip.SnapshotAsync(database);
        var leftovers = await RoundTrip.LeftoversAsync(database);

        Assert.Null(await RoundTrip.UpAsync(owner.ConnectionStringFor(database)));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
        Assert.Equal(6666L + 1000L, await database.ScalarAsync<long>("SELECT count(*) FROM fk_fix.quarantine"));
        Assert.Null(await RoundTrip.DownAsync(owner.ConnectionStringFor(database)));

        Assert.Equal(before, await RoundTrip.SnapshotAsync(database));
        Assert.Equal(leftovers, await RoundTrip.LeftoversAsync(database));
    }

    [Fact]
    public async Task Up_OnADatabaseDefaultingToReadOnly_FailsWithoutChangingAnything()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x')");
        var before = await RoundTrip.SnapshotAsync(database);
        var leftovers = await RoundTrip.LeftoversAsync(database);
        await database.ExecuteAsync($"ALTER DATABASE \"{database.Name}\" SET default_transaction_read_only = on");

        var error = await RoundTrip.UpAsync(database.ConnectionString);

        Assert.NotNull(error);
        Assert.Equal("25006", error.SqlState);
        await database.ExecuteAsync($"ALTER DATABASE \"{database.Name}\" RESET default_transaction_read_only");
        Assert.Equal(before, await RoundTrip.SnapshotAsync(database));
        Assert.Equal(leftovers, await RoundTrip.LeftoversAsync(database));
    }
}
