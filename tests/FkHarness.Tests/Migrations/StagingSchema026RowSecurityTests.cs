using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// 026 on a staging-shaped database, row-level security: a policy never changes the checks'
/// answer (native RI is exempt from policies), and FORCE, which would bind the owner too, is refused.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StagingSchema026RowSecurityTests(PostgresFixture fixture)
{
    [Fact]
    public async Task AUserHiddenFromTheWriterByAPolicy_StillCountsAsExisting()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
            CREATE POLICY only_user_1 ON public.users FOR SELECT USING (id = 1);
            """);
        await staging.UpAsOwnerAsync();

        await staging.ExecuteAsAsync(staging.Writer, "INSERT INTO public.deployment_approvals (deployment_id, approved_by) VALUES (1, '{1,2,3}')");
        var error = await staging.RejectedAsAsync(staging.Writer, "INSERT INTO public.deployment_approvals (deployment_id, approved_by) VALUES (1, '{2,999999}')");

        Assert.Equal(1L, await staging.ScalarAsync<long>("SELECT count(*) FROM public.deployment_approvals WHERE approved_by = '{1,2,3}'"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains(": 999999", error.MessageText);
    }

    [Fact]
    public async Task AHolderHiddenFromTheAdminByAPolicy_StillBlocksTheDelete()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            ALTER TABLE public.approval_rules ENABLE ROW LEVEL SECURITY;
            CREATE POLICY staging_only ON public.approval_rules USING (environment = 'staging');
            GRANT SELECT ON public.approval_rules TO PUBLIC;
            INSERT INTO public.approval_rules (name, environment, allowed_approvers) VALUES ('prod', 'production', '{2}');
            """);
        await staging.UpAsOwnerAsync();

        var error = await staging.RejectedAsAsync(staging.Admin, "DELETE FROM public.users WHERE id = 2");

        Assert.Equal(0L, await staging.CountAsAsync(staging.Admin, "SELECT count(*) FROM public.approval_rules"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains("users.id 2 held by approval_rules.allowed_approvers", error.Detail);
    }

    [Fact]
    public async Task ForceRowLevelSecurity_OnAReferencedTable_IsRefusedBeforeAnythingChanges()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            ALTER TABLE public.alert_conditions ENABLE ROW LEVEL SECURITY;
            ALTER TABLE public.alert_conditions FORCE ROW LEVEL SECURITY;
            CREATE POLICY everything ON public.alert_conditions USING (true);
            """);
        await staging.UpAsOwnerAsync("025");

        var result = await staging.TryUpAsync(staging.Owner);

        Assert.False(result.Succeeded);
        Assert.Contains("public.alert_conditions has FORCE ROW LEVEL SECURITY", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("NO FORCE ROW LEVEL SECURITY", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await staging.ObjectsOf026Async());
    }

    [Fact]
    public async Task ForceRowLevelSecurity_AddedAfterUp_MakesTheCheckFail_RatherThanAnswerFromFewerRows()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.UpAsOwnerAsync();
        await staging.ExecuteAsync("""
            ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
            ALTER TABLE public.users FORCE ROW LEVEL SECURITY;
            CREATE POLICY only_user_1 ON public.users USING (id = 1);
            """);

        var error = await staging.RejectedAsAsync(staging.Writer, "INSERT INTO public.deployment_approvals (deployment_id, approved_by) VALUES (1, '{2}')");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("row-level security", error.MessageText);
        Assert.Equal(0L, await staging.ScalarAsync<long>("SELECT count(*) FROM public.deployment_approvals"));
    }

    [Fact]
    public async Task RowLevelSecurity_OnATableOfAnotherOwner_IsRefused()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        var other = staging.Role("other");
        await staging.ExecuteAsync($"""
            CREATE ROLE "{other}" NOLOGIN;
            ALTER TABLE public.approval_rules OWNER TO "{other}";
            GRANT SELECT ON public.approval_rules TO "{staging.Owner}";
            ALTER TABLE public.approval_rules ENABLE ROW LEVEL SECURITY;
            """);

        var result = await new FkHarness.Migrator.UpgradeRunner().UpAsync(staging.Database.ConnectionString, "026");

        Assert.False(result.Succeeded);
        Assert.Contains($"public.approval_rules has row-level security and is owned by {other}", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await staging.ObjectsOf026Async());
    }
}
