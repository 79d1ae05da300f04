using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// 026 on a staging-shaped database, what was there before: objects under 026's names are
/// adopted only when they do what 026 needs (an equivalent GIN index), otherwise 026 refuses
/// before changing anything; down drops only what up created.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StagingSchema026PreexistingObjectTests(PostgresFixture fixture)
{
    private static async Task<MigrationRunResult> UpAsync(StagingSchema026Database staging) =>
        await new UpgradeRunner().UpAsync(staging.Database.ConnectionString, "026");

    [Fact]
    public async Task AnApplicationTriggerUnderA026Name_IsRefused_AndLeftAsItWas()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            CREATE FUNCTION public.app_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            CREATE TRIGGER trg_check_deployment_approvals_approved_by_insert AFTER INSERT ON public.deployment_approvals
                FOR EACH ROW EXECUTE FUNCTION public.app_audit();
            """);

        var result = await UpAsync(staging);

        Assert.False(result.Succeeded);
        Assert.Contains("trigger trg_check_deployment_approvals_approved_by_insert on public.deployment_approvals already exists and calls app_audit()", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("app_audit", await staging.ScalarAsync<string>("SELECT tgfoid::regproc::text FROM pg_trigger WHERE tgname = 'trg_check_deployment_approvals_approved_by_insert'"));
        Assert.Equal(1L, await staging.ObjectsOf026Async());
    }

    [Fact]
    public async Task AFunctionUnderA026NameIn_fk_fix_ThatIsNot026s_IsRefused()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            CREATE SCHEMA fk_fix;
            CREATE FUNCTION fk_fix.guard_users_array_refs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            """);

        var result = await UpAsync(staging);

        Assert.False(result.Succeeded);
        Assert.Contains("function fk_fix.guard_users_array_refs() exists and was not created by 026", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await staging.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'trg_check_%'"));
        Assert.Equal(0L, await staging.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'idx\\_%\\_gin'"));
    }

    [Fact]
    public async Task AnEquivalentGinIndexUnderA026Name_IsAdopted_AndDownLeavesIt()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture,
            "CREATE INDEX idx_approval_rules_allowed_approvers_gin ON public.approval_rules USING gin (allowed_approvers)");
        var before = await staging.ScalarAsync<long>("SELECT 'public.idx_approval_rules_allowed_approvers_gin'::regclass::oid::bigint");

        await FixMigrations.UpAsync(staging.Database);
        await FixMigrations.DownAsync(staging.Database, to: "025");

        Assert.Equal(before, await staging.ScalarAsync<long>("SELECT 'public.idx_approval_rules_allowed_approvers_gin'::regclass::oid::bigint"));
        Assert.Equal(new[] { "idx_approval_rules_allowed_approvers_gin" }, await staging.Database.ColumnAsync("SELECT relname::text FROM pg_class WHERE relname LIKE 'idx\\_%\\_gin'"));
    }

    [Theory]
    [InlineData("CREATE INDEX idx_deployment_approvals_approved_by_gin ON public.deployment_approvals (deployment_id)")]
    [InlineData("CREATE INDEX idx_deployment_approvals_approved_by_gin ON public.deployment_approvals USING gin (approved_by) WHERE status = 'pending'")]
    [InlineData("CREATE INDEX idx_deployment_approvals_approved_by_gin ON public.approval_rules USING gin (allowed_approvers)")]
    public async Task AnIndexUnderA026NameThatDoesOtherWork_IsRefusedBeforeAnythingChanges(string index)
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, index);

        var result = await UpAsync(staging);

        Assert.False(result.Succeeded);
        Assert.Contains("public.idx_deployment_approvals_approved_by_gin already exists and is not a valid, non-partial GIN index on public.deployment_approvals (approved_by) alone", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await staging.ObjectsOf026Async());
        Assert.Equal(0L, await staging.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'trg_check_%'"));
    }

    [Fact]
    public async Task Down_LeavesWhatOthersPutIn_fk_fix_AndTheTablesTriggers()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await FixMigrations.UpAsync(staging.Database);
        await staging.ExecuteAsync("""
            CREATE FUNCTION fk_fix.app_helper() RETURNS int LANGUAGE sql AS 'SELECT 1';
            CREATE FUNCTION public.app_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            CREATE TRIGGER trg_check_app_audit AFTER INSERT ON public.deployment_approvals FOR EACH ROW EXECUTE FUNCTION public.app_audit();
            """);

        await FixMigrations.DownAsync(staging.Database, to: "025");

        Assert.Equal(new[] { "trg_check_app_audit" }, await staging.Database.ColumnAsync("SELECT tgname::text FROM pg_trigger WHERE tgname LIKE 'trg_check_%'"));
        Assert.Equal(1L, await staging.ScalarAsync<long>("SELECT count(*) FROM pg_proc WHERE oid = 'fk_fix.app_helper()'::regprocedure"));
        Assert.Equal(1L, await staging.ObjectsOf026Async());  // trg_check_app_audit
    }

    [Fact]
    public async Task Down_AfterAnUpInterruptedAfterItsIndexes_RemovesThem_AndUpAgainConverges()
    {
        // Up's first two steps as a killed run leaves them: the record and the indexes, no functions, no triggers.
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await FixMigrations.UpAsync(staging.Database, to: "025");
        var up = await File.ReadAllTextAsync(MigrationFiles.Up026);
        var partial = Path.Combine(Path.GetTempPath(), $"026_partial_{staging.Database.Name}.sql");
        await File.WriteAllTextAsync(partial, up[..up.IndexOf("-- 3. Checking functions", StringComparison.Ordinal)]);
        try
        {
            await FixMigrations.RunWithPsqlAsync(staging.Database, partial);
        }
        finally
        {
            File.Delete(partial);
        }

        Assert.Equal(4L, await staging.ObjectsOf026Async());
        await FixMigrations.RunWithPsqlAsync(staging.Database, MigrationFiles.Down026);
        Assert.Equal(0L, await staging.ObjectsOf026Async());
        await FixMigrations.RunWithPsqlAsync(staging.Database, MigrationFiles.Up026);
        Assert.Equal(4L + 14 + 10, await staging.ObjectsOf026Async());
    }
}
