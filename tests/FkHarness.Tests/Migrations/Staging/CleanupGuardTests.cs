using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>
/// Step 0's checks run again in the cleanup itself, for what appears between the two (an orphan
/// written before the FK existed, a trigger or a referencing row added meanwhile): the table's
/// cleanup stops before changing any of its rows. Reached here by calling the cleanup directly on
/// a database where 025 ran and one FK was dropped again.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class CleanupGuardTests(PostgresFixture fixture)
{
    private static async Task<TestDatabase> UpThenAnOrphanWidgetAsync(PostgresFixture fixture)
    {
        var database = await StagingSchema.CreateAsync(fixture);
        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));
        await database.ExecuteAsync("""
            ALTER TABLE dashboard_widgets DROP CONSTRAINT dashboard_widgets_user_id_fkey;
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, 'usr_gone', 'chart', 't');
            """);
        return database;
    }

    [Fact]
    public async Task Cleanup_WhenATriggerAppearedSinceThePreconditions_StopsBeforeChangingTheTable()
    {
        await using var database = await UpThenAnOrphanWidgetAsync(fixture);
        await database.ExecuteAsync("""
            CREATE FUNCTION public.keep_widgets() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            CREATE TRIGGER keep_widgets BEFORE DELETE ON dashboard_widgets FOR EACH ROW EXECUTE FUNCTION public.keep_widgets();
            """);

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => database.ExecuteAsync("CALL fk_fix.quarantine_text_orphans(5000, 0)"));

        Assert.Equal("55000", error.SqlState);
        Assert.Contains("trigger keep_widgets", error.MessageText);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM dashboard_widgets"));
        Assert.Empty(await StagingSchema.QuarantineAsync(database));
    }

    [Fact]
    public async Task Cleanup_WhenARowReferencingTheOrphanAppearedSince_RollsBackTheBatch()
    {
        await using var database = await UpThenAnOrphanWidgetAsync(fixture);
        await database.ExecuteAsync("""
            CREATE TABLE public.widget_shares (id bigint PRIMARY KEY, widget_id bigint REFERENCES dashboard_widgets (id) ON DELETE CASCADE);
            INSERT INTO public.widget_shares VALUES (10, 1);
            """);

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => database.ExecuteAsync("CALL fk_fix.quarantine_text_orphans(5000, 0)"));

        Assert.Equal("2BP01", error.SqlState);
        Assert.Equal("1/10", await database.ScalarAsync<string>("SELECT (SELECT count(*) FROM dashboard_widgets) || '/' || (SELECT string_agg(id::text, ',') FROM widget_shares)"));
        Assert.Empty(await StagingSchema.QuarantineAsync(database));
    }
}
