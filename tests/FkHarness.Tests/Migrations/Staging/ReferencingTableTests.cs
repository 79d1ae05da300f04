using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>
/// Tables of the application whose FK references dashboard_widgets or user_preferences, the two
/// tables whose orphan rows 025 deletes: a referencing row would be deleted or changed by CASCADE
/// / SET NULL (nothing quarantines it) or fail the delete (NO ACTION): refused upfront.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class ReferencingTableTests(PostgresFixture fixture)
{
    [Theory]
    [InlineData("CASCADE")]
    [InlineData("SET NULL")]
    [InlineData("NO ACTION")]
    [InlineData("RESTRICT")]
    public async Task Up_WhenARowReferencesAnOrphanRowToDelete_IsRefusedBeforeChangingAnything(string onDelete)
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync($"""
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, 'usr_gone', 'chart', 'orphan'), (2, 'usr_alice', 'chart', 'valid');
            CREATE TABLE public.widget_shares (id bigint PRIMARY KEY, widget_id bigint REFERENCES dashboard_widgets (id) ON DELETE {onDelete});
            INSERT INTO public.widget_shares VALUES (10, 1), (20, 2);
            """);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(database.ConnectionString);

        Assert.Equal("2BP01", error?.SqlState);
        Assert.Contains($"rows of widget_shares reference orphan rows of dashboard_widgets through foreign key widget_shares_widget_id_fkey (ON DELETE {onDelete})", error!.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_WhenNoReferencingRowPointsAtAnOrphan_DeletesTheOrphans_AndKeepsEveryReferencingRow()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            INSERT INTO user_preferences (id, user_id, preference_key, preference_value) VALUES (1, 'usr_gone', 'k', 'v'), (2, 'usr_bob', 'k', 'v');
            CREATE TABLE public.preference_notes (id bigint PRIMARY KEY, preference_id bigint REFERENCES user_preferences (id) ON DELETE CASCADE);
            INSERT INTO public.preference_notes VALUES (10, 2);
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(["user_preferences#1 delete 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal("10->2", await database.ScalarAsync<string>("SELECT string_agg(id || '->' || preference_id, ',') FROM preference_notes"));
    }
}
