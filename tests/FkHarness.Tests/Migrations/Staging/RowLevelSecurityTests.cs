using FkHarness.Migrator.Audit;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>Row-level security never makes 024 or 025 see fewer rows than there are.</summary>
[Collection(PostgresTests.Name)]
public sealed class RowLevelSecurityTests(PostgresFixture fixture)
{
    private const string Rows = """
        INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, 'usr_bob', 'chart', 'valid'), (2, 'usr_gone', 'chart', 'orphan');
        """;

    [Fact]
    public async Task Up_WhenAPolicyForcedOnTheOwnerHidesUsers_IsRefusedNamingThePolicy_AndNoValidRowIsDeleted()
    {
        await using var owner = await TestRole.CreateAsync(fixture);
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync(Rows);
        await owner.OwnApplicationTablesAsync(database);
        await database.ExecuteAsync("""
            ALTER TABLE users ENABLE ROW LEVEL SECURITY;
            ALTER TABLE users FORCE ROW LEVEL SECURITY;
            CREATE POLICY only_alice ON users USING (user_id = 'usr_alice');
            """);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(owner.ConnectionStringFor(database));

        Assert.NotNull(error);
        Assert.Equal("42501", error.SqlState);
        Assert.Contains("users (policies only_alice, FORCE ROW LEVEL SECURITY)", error.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Audit_WhenAPolicyWouldFilterItsReads_FailsInsteadOfCountingTooFew()
    {
        await using var owner = await TestRole.CreateAsync(fixture);
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync(Rows);
        await owner.OwnApplicationTablesAsync(database);
        await database.ExecuteAsync("""
            ALTER TABLE dashboard_widgets ENABLE ROW LEVEL SECURITY;
            ALTER TABLE dashboard_widgets FORCE ROW LEVEL SECURITY;
            CREATE POLICY valid_only ON dashboard_widgets USING (title = 'valid');
            """);

        var audit = await new AuditRunner().RunAsync(owner.ConnectionStringFor(database));

        Assert.False(audit.Succeeded);
        Assert.Equal("42501", audit.Error!.SqlState);
    }

    [Fact]
    public async Task Up_ByTheOwner_WithRowLevelSecurityNotForced_SeesEveryRow()
    {
        await using var owner = await TestRole.CreateAsync(fixture);
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync(Rows);
        await owner.OwnApplicationTablesAsync(database);
        await database.ExecuteAsync("""
            ALTER TABLE users ENABLE ROW LEVEL SECURITY;
            CREATE POLICY only_alice ON users USING (user_id = 'usr_alice');
            ALTER TABLE dashboard_widgets ENABLE ROW LEVEL SECURITY;
            CREATE POLICY nothing ON dashboard_widgets USING (false);
            """);

        Assert.Null(await StagingSchema.Up025Async(owner.ConnectionStringFor(database)));

        Assert.Equal(["dashboard_widgets#2 delete 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal("valid", await database.ScalarAsync<string>("SELECT string_agg(title, ',') FROM dashboard_widgets"));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }
}
