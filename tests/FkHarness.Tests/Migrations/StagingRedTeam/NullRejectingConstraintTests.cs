using FkHarness.Tests.Infrastructure;
using FkHarness.Tests.Migrations.Staging;

namespace FkHarness.Tests.Migrations.StagingRedTeam;

/// <summary>
/// A nullable column of the plan that refuses NULL anyway: by a CHECK (often added NOT VALID by a
/// cautious DBA instead of SET NOT NULL), a CHECK over two columns, or a NOT NULL domain. Nulling
/// its orphans would fail half-way; 025 must refuse before changing anything, naming the column.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class NullRejectingConstraintTests(PostgresFixture fixture)
{
    [Theory]
    [InlineData("ALTER TABLE deployment_queue ADD CONSTRAINT requested_by_present CHECK (requested_by IS NOT NULL)")]
    [InlineData("ALTER TABLE deployment_queue ADD CONSTRAINT requested_by_present CHECK (requested_by IS NOT NULL) NOT VALID")]
    [InlineData("ALTER TABLE deployment_queue ADD CONSTRAINT queued_needs_requester CHECK (status <> 'queued' OR requested_by IS NOT NULL)")]
    [InlineData("CREATE DOMAIN public.required_user AS text NOT NULL; ALTER TABLE deployment_queue ALTER COLUMN requested_by TYPE public.required_user")]
    public async Task Up_WhenAConstraintRefusesNullInANullableColumnHoldingOrphans_IsRefusedBeforeChangingAnything(string constraint)
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync($"""
            INSERT INTO deployment_queue (id, deployment_id, requested_by) VALUES (1, 1, 'usr_gone'), (2, 1, 'usr_bob');
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x');
            {constraint};
            """);
        var before = await RoundTrip.SnapshotAsync(database);
        var leftovers = await RoundTrip.LeftoversAsync(database);

        var error = await RoundTrip.UpAsync(database.ConnectionString, "025");

        Assert.NotNull(error);
        Assert.Equal("55000", error.SqlState);
        Assert.True(error.Message.Contains("deployment_queue.requested_by holds orphans", StringComparison.Ordinal), error.Message);
        Assert.Equal(before, await RoundTrip.SnapshotAsync(database));
        Assert.Equal(leftovers, await RoundTrip.LeftoversAsync(database));
    }

    [Fact]
    public async Task Up_WhenACheckRefusesOnlyValuesNotNull_NullsTheOrphans()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            INSERT INTO deployment_queue (id, deployment_id, requested_by) VALUES (1, 1, 'usr_gone'), (2, 1, 'usr_bob');
            ALTER TABLE deployment_queue ADD CONSTRAINT requested_by_shape CHECK (requested_by ~ '^usr_');
            """);

        Assert.Null(await RoundTrip.UpAsync(database.ConnectionString, "025"));

        Assert.Equal(["deployment_queue#1 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }
}
