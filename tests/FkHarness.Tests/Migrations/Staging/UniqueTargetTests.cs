using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>
/// What makes users.user_id referenceable: a valid, immediate, non-partial unique index on exactly
/// that column. A DEFERRABLE unique constraint is not one (PostgreSQL refuses an FK to it).
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class UniqueTargetTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Up_WhenUserIdIsUniqueOnlyThroughADeferrableConstraint_IsRefusedBeforeChangingAnything()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            ALTER TABLE users DROP CONSTRAINT users_user_id_key;
            ALTER TABLE users ADD CONSTRAINT users_user_id_key UNIQUE (user_id) DEFERRABLE INITIALLY IMMEDIATE;
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x');
            """);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(database.ConnectionString);

        Assert.Equal("42830", error?.SqlState);
        Assert.Contains("DEFERRABLE constraint (users_user_id_key (DEFERRABLE))", error!.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_WithADeferrableConstraintAndAnImmediateUniqueIndexBeside_Runs()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            ALTER TABLE users DROP CONSTRAINT users_user_id_key;
            ALTER TABLE users ADD CONSTRAINT users_user_id_key UNIQUE (user_id) DEFERRABLE INITIALLY DEFERRED;
            CREATE UNIQUE INDEX users_user_id_uidx ON users (user_id);
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x');
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(["error_logs#1 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }

    [Theory]
    [InlineData("CREATE UNIQUE INDEX users_uid_partial ON users (user_id) WHERE is_active", "users_uid_partial (partial)")]
    [InlineData("CREATE UNIQUE INDEX users_uid_lower ON users (lower(user_id))", "users_uid_lower (on an expression)")]
    [InlineData("CREATE UNIQUE INDEX users_uid_pair ON users (user_id, email)", "users_uid_pair (several columns)")]
    public async Task Up_WhenTheOnlyUniqueIndexCannotServeAnFk_IsRefusedNamingIt(string index, string named)
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("ALTER TABLE users DROP CONSTRAINT users_user_id_key; " + index);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(database.ConnectionString);

        Assert.Equal("42830", error?.SqlState);
        Assert.Contains("users.user_id is not unique", error!.Message);
        Assert.Contains(named, error.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }
}
