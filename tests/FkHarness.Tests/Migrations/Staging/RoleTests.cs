using FkHarness.Migrator.Audit;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>024 and 025 run by the role that owns the tables, not a superuser, as on staging.</summary>
[Collection(PostgresTests.Name)]
public sealed class RoleTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Up_RunByTheTablesOwner_AddsTheFksAndQuarantinesTheOrphans()
    {
        await using var owner = await TestRole.CreateAsync(fixture);
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x'), (2, 'usr_bob', 'error', 'y');
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, 'USR_ALICE', 'chart', 't');
            """);
        await owner.OwnApplicationTablesAsync(database);

        var audit = await new AuditRunner().RunAsync(owner.ConnectionStringFor(database));
        Assert.True(audit.Succeeded, audit.Error?.Message);
        Assert.Equal(2L, audit.Relationships.Sum(r => r.OrphanCount));
        Assert.Null(await StagingSchema.Up025Async(owner.ConnectionStringFor(database)));

        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
        Assert.Equal(["dashboard_widgets#1 delete 'USR_ALICE'", "error_logs#1 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(owner.Name, await database.ScalarAsync<string>("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'fk_fix'"));
    }

    [Fact]
    public async Task Up_ByAnOwnerOfOnlySomeTables_IsRefusedBeforeChangingAnything_NamingTheTable()
    {
        await using var owner = await TestRole.CreateAsync(fixture);
        await using var other = await TestRole.CreateAsync(fixture);
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x')");
        await owner.OwnApplicationTablesAsync(database);
        await database.ExecuteAsync($"ALTER TABLE public.migration_rollback_audit OWNER TO {other.Name}");
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(owner.ConnectionStringFor(database));

        Assert.NotNull(error);
        Assert.Equal("42501", error.SqlState);
        Assert.Contains($"migration_rollback_audit (owned by {other.Name})", error.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_ByAnOwnerWithoutCreateOnPublic_IsRefusedBeforeChangingAnything_SayingWhatToGrant()
    {
        await using var owner = await TestRole.CreateAsync(fixture);
        await using var database = await StagingSchema.CreateAsync(fixture);
        await owner.OwnApplicationTablesAsync(database, createOnPublic: false);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(owner.ConnectionStringFor(database));

        Assert.NotNull(error);
        Assert.Equal("42501", error.SqlState);
        Assert.True(error.Message.Contains($"GRANT CREATE ON SCHEMA public TO {owner.Name}", StringComparison.Ordinal), error.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }
}
