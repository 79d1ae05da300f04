using FkHarness.Tests.Infrastructure;
using FkHarness.Tests.Migrations.Staging;

namespace FkHarness.Tests.Migrations.StagingRedTeam;

/// <summary>
/// Staging schemas newer than the baseline: ids GENERATED ALWAYS (what a modern EF/Django
/// migration writes). Down must put the deleted rows back with the same id.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class GeneratedAndIdentityColumnTests(PostgresFixture fixture)
{
    [Fact]
    public async Task UpDown_WithIdsGeneratedAlways_PutsTheDeletedRowsBackByteForByte()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            ALTER TABLE dashboard_widgets ALTER COLUMN id SET GENERATED ALWAYS;
            ALTER TABLE user_preferences ALTER COLUMN id SET GENERATED ALWAYS;
            ALTER TABLE error_logs ALTER COLUMN id SET GENERATED ALWAYS;
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) OVERRIDING SYSTEM VALUE VALUES (7, 'usr_gone', 'chart', 'orphan'), (8, 'usr_alice', 'chart', 'kept');
            INSERT INTO user_preferences (id, user_id, preference_key, preference_value) OVERRIDING SYSTEM VALUE VALUES (9, 'usr_gone', 'theme', 'dark');
            INSERT INTO error_logs (id, user_id, severity, message) OVERRIDING SYSTEM VALUE VALUES (10, 'usr_gone', 'error', 'x');
            """);
        var before = await RoundTrip.SnapshotAsync(database);
        var leftovers = await RoundTrip.LeftoversAsync(database);

        Assert.Null(await RoundTrip.UpAsync(database.ConnectionString));
        Assert.Equal(["dashboard_widgets#7 delete 'usr_gone'", "error_logs#10 set_null 'usr_gone'", "user_preferences#9 delete 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Null(await RoundTrip.DownAsync(database.ConnectionString));

        Assert.Equal(before, await RoundTrip.SnapshotAsync(database));
        Assert.Equal(leftovers, await RoundTrip.LeftoversAsync(database));
    }
}
