using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>
/// Orphan values too long for a btree index entry (over 2704 bytes after compression): they would
/// fail the partial index build on every run. None can equal a users.user_id, so 025 quarantines
/// and removes them before building the indexes, exactly as it removes the other orphans.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class LongValueTests(PostgresFixture fixture)
{
    // md5 hex strings do not compress: 100 of them are 3,200 bytes however they are stored.
    private static string Incompressible(string salt) => $"(SELECT string_agg(md5(i::text || '{salt}'), '') FROM generate_series(1, 100) AS i)";

    [Fact]
    public async Task Up_WithOrphansTooLongForAnIndexEntry_QuarantinesThemExactly_AndBuildsEveryIndex()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync($"""
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, {Incompressible("a")}, 'error', 'x'), (2, 'usr_bob', 'error', 'y');
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, {Incompressible("b")}, 'chart', 't');
            """);
        var longValues = await database.ColumnAsync("""
            SELECT 'dashboard_widgets#1 ' || md5(user_id) FROM dashboard_widgets UNION ALL SELECT 'error_logs#1 ' || md5(user_id) FROM error_logs WHERE id = 1 ORDER BY 1
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(longValues, await database.ColumnAsync(
            "SELECT table_name || '#' || row_id || ' ' || md5(old_value) FROM fk_fix.quarantine ORDER BY 1"));
        Assert.Equal(9L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM fk_fix.text_fk_plan AS p JOIN pg_index AS i ON i.indexrelid = to_regclass('public.' || p.index_name) WHERE i.indisvalid"));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
        Assert.Equal("usr_bob", await database.ScalarAsync<string>("SELECT string_agg(coalesce(user_id, '-'), ',' ORDER BY id) FROM error_logs WHERE id = 2"));
    }
}
