using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>Source and target columns of other string types than text; and a type no FK to text takes.</summary>
[Collection(PostgresTests.Name)]
public sealed class ColumnTypeTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Up_WithVarcharAndDomainColumns_QuarantinesTheOrphans_AndValidates()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE DOMAIN public.user_ref AS text CHECK (VALUE <> 'forbidden');
            ALTER TABLE users ALTER COLUMN user_id TYPE varchar(64);
            ALTER TABLE error_logs ALTER COLUMN user_id TYPE varchar(200);
            ALTER TABLE artifact_versions ALTER COLUMN created_by TYPE public.user_ref;
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x'), (2, 'usr_bob', 'error', 'y');
            INSERT INTO artifact_versions (id, artifact_name, version, sha256, size_bytes, created_by) VALUES (1, 'api', '1', 'abc', 1, 'usr_gone'), (2, 'api', '2', 'abc', 1, 'usr_alice');
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(["artifact_versions#1 set_null 'usr_gone'", "error_logs#1 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }

    [Fact]
    public async Task Up_WhenUsersUserIdIsCharN_TrailingSpacesMatch_AsTheFkCompares()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            ALTER TABLE users ALTER COLUMN user_id TYPE char(16);
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_bob  ', 'error', 'x'), (2, 'usr_gone', 'error', 'y'), (3, 'usr_alice', 'error', 'z');
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(["error_logs#2 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal("usr_bob  ", await database.ScalarAsync<string>("SELECT user_id FROM error_logs WHERE id = 1"));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }

    [Fact]
    public async Task Up_WhenUsersUserIdIsCitext_AndTheColumnsText_IsRefusedBeforeChangingAnything()
    {
        // text casts to citext only on assignment, so ADD CONSTRAINT would fail (42804) in step 3,
        // after the indexes were built: step 0 refuses instead.
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
            ALTER TABLE users ALTER COLUMN user_id TYPE public.citext;
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x');
            """);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(database.ConnectionString);

        Assert.Equal("42804", error?.SqlState);
        Assert.Contains("users.user_id (citext)", error!.Message);
        Assert.Contains("error_logs.user_id (text)", error.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_WithASourceColumnOfANonStringType_IsRefusedBeforeChangingAnything()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            ALTER TABLE database_backups ALTER COLUMN created_by TYPE bigint USING NULL;
            """);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(database.ConnectionString);

        Assert.Equal("42804", error?.SqlState);
        Assert.Contains("database_backups.created_by (bigint)", error!.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_WithViewsOverTheTables_KeepsThemWorking()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE VIEW public.error_report AS
                SELECT e.id, e.user_id, u.display_name FROM error_logs AS e LEFT JOIN users AS u ON u.user_id = e.user_id;
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x'), (2, 'usr_bob', 'error', 'y');
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal("1=,2=usr_bob Bob", await database.ScalarAsync<string>(
            "SELECT string_agg(id || '=' || coalesce(user_id || ' ' || display_name, ''), ',' ORDER BY id) FROM error_report"));
    }
}
