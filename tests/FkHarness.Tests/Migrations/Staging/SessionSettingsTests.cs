using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>Database- or role-level settings staging databases carry, and columns the plan has otherwise.</summary>
[Collection(PostgresTests.Name)]
public sealed class SessionSettingsTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Up_WhenTheDatabaseDefaultsToSerializable_RunsAndCleans()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync($"""
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x');
            ALTER DATABASE "{database.Name}" SET default_transaction_isolation = 'serializable';
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(["error_logs#1 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }

    [Fact]
    public async Task Up_WhenANullableColumnOfThePlanIsNotNullHere_AndHoldsOrphans_IsRefusedBeforeChangingAnything()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            INSERT INTO deployment_queue (id, deployment_id, requested_by) VALUES (1, 1, 'usr_gone');
            ALTER TABLE deployment_queue ALTER COLUMN requested_by SET NOT NULL;
            """);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(database.ConnectionString);

        Assert.Equal("55000", error?.SqlState);
        Assert.Contains("deployment_queue.requested_by is NOT NULL in this database", error!.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_WhenANullableColumnOfThePlanIsNotNullHere_WithoutOrphans_Runs()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            INSERT INTO deployment_queue (id, deployment_id, requested_by) VALUES (1, 1, 'usr_bob');
            ALTER TABLE deployment_queue ALTER COLUMN requested_by SET NOT NULL;
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }
}
