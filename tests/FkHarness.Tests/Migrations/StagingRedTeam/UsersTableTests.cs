using FkHarness.Tests.Infrastructure;
using FkHarness.Tests.Migrations.Staging;

namespace FkHarness.Tests.Migrations.StagingRedTeam;

/// <summary>users as staging has it: UNIQUE NULLS NOT DISTINCT on user_id, and extra unique indexes beside it.</summary>
[Collection(PostgresTests.Name)]
public sealed class UsersTableTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Up_WhenUserIdIsUniqueNullsNotDistinct_AndHasExtraUniqueIndexes_ConstrainsAndCleansAsNative()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            ALTER TABLE users DROP CONSTRAINT users_user_id_key;
            ALTER TABLE users ADD CONSTRAINT users_user_id_key UNIQUE NULLS NOT DISTINCT (user_id);
            CREATE UNIQUE INDEX users_lower_user_id ON users (lower(user_id));
            CREATE UNIQUE INDEX users_email_active ON users (email) WHERE is_active;
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x'), (2, 'USR_BOB', 'error', 'y'), (3, 'usr_bob', 'error', 'z');
            """);
        var before = await RoundTrip.SnapshotAsync(database);

        Assert.Null(await RoundTrip.UpAsync(database.ConnectionString, "025"));
        Assert.Equal(["error_logs#1 set_null 'usr_gone'", "error_logs#2 set_null 'USR_BOB'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
        Assert.Null(await RoundTrip.DownAsync(database.ConnectionString));

        Assert.Equal(before, await RoundTrip.SnapshotAsync(database));
    }
}
