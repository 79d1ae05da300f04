using FkHarness.Migrator;
using FkHarness.Migrator.Errors;
using FkHarness.Tests.Infrastructure;
using static FkHarness.Tests.Migrator.MigratorDatabases;

namespace FkHarness.Tests.Migrator;

[Collection(PostgresTests.Name)]
public sealed class BaselineInstallerTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Baseline_InAnEmptyDatabase_CreatesThePreFixSchema()
    {
        await using var db = await fixture.CreateEmptyDatabaseAsync();

        var result = await new BaselineInstaller().InstallAsync(db.ConnectionString);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('users') IS NOT NULL AND to_regclass('deployment_approvals') IS NOT NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass"));
    }

    [Fact]
    public async Task Baseline_OverExistingTables_RefusesAndChangesNothing()
    {
        await using var db = await BaselineAsync(fixture);
        await db.ExecuteAsync("INSERT INTO users (user_id, email, display_name) VALUES ('usr_1', 'a@example.com', 'A')");
        var before = await TableChecksums.TakeAsync(db.ConnectionString);

        var result = await new BaselineInstaller().InstallAsync(db.ConnectionString);

        Assert.False(result.Succeeded);
        Assert.Equal(MigratorErrorKind.InvalidInput, result.Error!.Kind);
        Assert.Contains("table users", result.ExistingObjects);
        Assert.Contains("schema fkharness", result.ExistingObjects);
        Assert.Contains("nothing was changed", result.Error.Message);
        Assert.Equal(before, await TableChecksums.TakeAsync(db.ConnectionString));
    }

    [Fact]
    public async Task Baseline_WhenOnlyOneTableExists_Refuses()
    {
        await using var db = await fixture.CreateEmptyDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE users (id bigint)");

        var result = await new BaselineInstaller().InstallAsync(db.ConnectionString);

        Assert.False(result.Succeeded);
        Assert.Equal(["table users"], result.ExistingObjects);
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'fkharness')"));
    }
}
