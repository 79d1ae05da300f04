using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// Misuse through the migrator as a user runs it (drift and the in-process API are covered in
/// Migrator/MigrationDriftTests and Migrator/DowngradeRunnerTests; 025's own precondition through
/// psql in Migrations/TextForeignKeyTests).
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class MigratorMisuseTests(PostgresFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Up_OnUsersWithDuplicateUserIds_Exits1SayingSo_AndChangesNothing()
    {
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        await db.ExecuteAsync("""
            ALTER TABLE users DROP CONSTRAINT users_user_id_key;
            INSERT INTO users (user_id, email, display_name) VALUES ('usr_alice', 'a@example.com', 'Alice'), ('usr_alice', 'a2@example.com', 'Alice again');
            INSERT INTO dashboard_widgets (user_id, widget_type, title) VALUES ('ghost', 'chart', 'an orphan');
            """);
        var before = await EndState.TakeAsync(db.ConnectionString);
        var schema = await SchemaSnapshot.TakeAsync(db.ConnectionString);

        using var up = await MigratorProcess.RunAsync(db.ConnectionString, RunTimeout, "up");

        Assert.Equal(1, up.ExitCode);
        Assert.Contains("025 precondition failed: users.user_id is not unique", up.StandardError);
        Assert.Contains("Nothing was changed", up.StandardError);
        Assert.Contains("GROUP BY 1 HAVING count(*) > 1", up.StandardError);
        Assert.DoesNotContain("   at ", up.AllOutput);
        Assert.Equal("", before.Diff(await EndState.TakeAsync(db.ConnectionString)));
        Assert.Equal(schema, await SchemaSnapshot.TakeAsync(db.ConnectionString));
    }

    [Fact]
    public async Task Down_WithNothingApplied_Exits0WithAMessage_AndChangesNothing()
    {
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        var before = await EndState.TakeAsync(db.ConnectionString);

        using var down = await MigratorProcess.RunAsync(db.ConnectionString, RunTimeout, "down");

        Assert.Equal(0, down.ExitCode);
        Assert.Contains("Nothing to roll back: no migration above the target is applied.", down.StandardOutput);
        Assert.Equal("", before.Diff(await EndState.TakeAsync(db.ConnectionString)));
    }
}
