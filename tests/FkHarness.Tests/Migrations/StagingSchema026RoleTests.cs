using FkHarness.Catalog;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// 026 on a staging-shaped database, roles and privileges: the checks run as the tables' owner,
/// as PostgreSQL's RI does, so least-privilege writers and admins need nothing new, and 026
/// itself runs as that owner, not only as a superuser.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StagingSchema026RoleTests(PostgresFixture fixture)
{
    public static TheoryData<int> ArrayFindings => new(ForeignKeyCatalog.LoadEmbedded().ArrayForeignKeys.Select(f => f.Id));

    private static string UpdateSql(ForeignKeyFinding finding, string array) =>
        $"UPDATE public.{finding.SourceTable} SET {finding.SourceColumn} = {array} WHERE id = (SELECT max(id) FROM public.{finding.SourceTable})";

    [Theory]
    [MemberData(nameof(ArrayFindings))]
    public async Task LeastPrivilegeWriter_InsertsAndUpdatesValidArrays_AndGets23503ForUnknownIds(int findingId)
    {
        var finding = ArrayForeignKeyTests.Finding(findingId);
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.UpAsOwnerAsync();

        await staging.ExecuteAsAsync(staging.Writer, ArrayForeignKeyTests.InsertSql(finding, "'{1,2}'"));
        await staging.ExecuteAsAsync(staging.Writer, UpdateSql(finding, "'{2,3}'"));
        var insert = await staging.RejectedAsAsync(staging.Writer, ArrayForeignKeyTests.InsertSql(finding, "'{1,999999}'"));
        var update = await staging.RejectedAsAsync(staging.Writer, UpdateSql(finding, "'{3,888888}'"));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, insert.SqlState);
        Assert.Contains(finding.ErrorMessage!, insert.MessageText);
        Assert.Contains("999999", insert.MessageText);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, update.SqlState);
        Assert.Contains("888888", update.MessageText);
        Assert.Equal(1L, await staging.ScalarAsync<long>($"SELECT count(*) FROM public.{finding.SourceTable} WHERE {finding.SourceColumn} = '{{2,3}}'"));
        Assert.False(await staging.ScalarAsync<bool>($"SELECT has_schema_privilege('{staging.Writer}', 'fk_fix', 'USAGE')"));
    }

    [Theory]
    [InlineData("users", 10)]
    [InlineData("alert_conditions", 13)]
    public async Task UsersOnlyAdmin_DeletesAnUnreferencedRow_AndGets23503ForAHeldOne(string target, int findingId)
    {
        var finding = ArrayForeignKeyTests.Finding(findingId);
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.UpAsOwnerAsync();
        await staging.ExecuteAsync(ArrayForeignKeyTests.InsertSql(finding, "'{2}'"));

        await staging.ExecuteAsAsync(staging.Admin, $"DELETE FROM public.{target} WHERE id = 3");
        var held = await staging.RejectedAsAsync(staging.Admin, $"DELETE FROM public.{target} WHERE id = 2");

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, held.SqlState);
        Assert.Contains($"{finding.SourceTable}.{finding.SourceColumn}", held.Detail);
        Assert.Equal(new[] { "1", "2" }, await staging.Database.ColumnAsync($"SELECT id::text FROM public.{target} ORDER BY id"));
    }

    [Fact]
    public async Task AdminWithTruncateOnAlertConditionsOnly_TruncatingItWhileAGroupHoldsOne_Gets23503()
    {
        // (users cannot be truncated alone once 025's FKs reference it: PostgreSQL's own 0A000.)
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.UpAsOwnerAsync();

        var error = await staging.RejectedAsAsync(staging.Admin, "TRUNCATE public.alert_conditions");

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains("alert_condition_groups.condition_ids", error.MessageText);
        Assert.Equal(3L, await staging.ScalarAsync<long>("SELECT count(*) FROM public.alert_conditions"));
    }

    [Fact]
    public async Task Up_RunByTheTablesOwner_LeavesSecurityDefinerFunctionsOwnedByIt_WithNoExecuteForPublic()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);

        await staging.UpAsOwnerAsync();

        var functions = await staging.Database.ColumnAsync($"""
            SELECT format('%s %s %s %s %s', p.proname, pg_get_userbyid(p.proowner) = '{staging.Owner}', p.prosecdef,
                          has_function_privilege('{staging.Writer}', p.oid, 'EXECUTE'),
                          coalesce((SELECT c FROM unnest(p.proconfig) AS c WHERE c LIKE 'search\_path=%'), 'qualified'))
            FROM pg_proc AS p WHERE p.pronamespace = 'fk_fix'::regnamespace AND p.proname LIKE ANY (ARRAY['check\_%', 'guard\_%'])
            ORDER BY 1
            """);
        Assert.Equal(
        [
            "check_alert_condition_groups_condition_ids t t f qualified",
            "check_alert_condition_groups_condition_ids_update t t f qualified",
            "check_alert_escalations_user_ids t t f qualified",
            "check_alert_escalations_user_ids_update t t f qualified",
            "check_approval_rules_allowed_approvers t t f qualified",
            "check_approval_rules_allowed_approvers_update t t f qualified",
            "check_deployment_approvals_approved_by t t f qualified",
            "check_deployment_approvals_approved_by_update t t f qualified",
            "guard_alert_conditions_array_refs t t f search_path=pg_catalog, pg_temp",
            "guard_users_array_refs t t f search_path=pg_catalog, pg_temp",
        ], functions);
        Assert.Equal(14L, await staging.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'trg_check_%'"));
    }

    [Fact]
    public async Task Up_RunByASuperuser_GivesTheFunctionsToTheOwnerOfUsers()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);

        await FixMigrations.UpAsync(staging.Database);

        Assert.Equal(new[] { staging.Owner }, await staging.Database.ColumnAsync(
            "SELECT DISTINCT pg_get_userbyid(p.proowner)::text FROM pg_proc AS p WHERE p.pronamespace = 'fk_fix'::regnamespace AND obj_description(p.oid, 'pg_proc') = 'created by 026_add_array_fk_validation'"));
        await staging.ExecuteAsAsync(staging.Writer, "INSERT INTO public.deployment_approvals (deployment_id, approved_by) VALUES (1, '{1}')");
    }

    [Fact]
    public async Task AReferencedTableOfAnotherOwner_ThatGrantsTheOwnerOfUsersWhatTheChecksNeed_IsGuarded()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        var other = staging.Role("other");
        await staging.ExecuteAsync($"""
            CREATE ROLE "{other}" NOLOGIN;
            ALTER TABLE public.alert_conditions OWNER TO "{other}";
            GRANT SELECT, UPDATE ON public.alert_conditions TO "{staging.Owner}";
            """);

        await FixMigrations.UpAsync(staging.Database);

        await staging.ExecuteAsAsync(staging.Writer, "INSERT INTO public.alert_condition_groups (name, condition_ids) VALUES ('g', '{1,2}')");
        var error = await staging.RejectedAsAsync(staging.Writer, "INSERT INTO public.alert_condition_groups (name, condition_ids) VALUES ('g', '{999999}')");
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [Fact]
    public async Task AReferencedTableOfAnotherOwner_ThatGrantsTheOwnerOfUsersTooLittle_IsRefusedBeforeAnythingChanges()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        var other = staging.Role("other");
        await staging.ExecuteAsync($"""
            CREATE ROLE "{other}" NOLOGIN;
            ALTER TABLE public.alert_conditions OWNER TO "{other}";
            GRANT UPDATE ON public.alert_conditions TO "{staging.Owner}";
            """);

        var result = await new FkHarness.Migrator.UpgradeRunner().UpAsync(staging.Database.ConnectionString, "026");

        Assert.False(result.Succeeded);
        Assert.Contains($"public.alert_conditions is owned by {other}, and {staging.Owner}, the owner of users, as whom 026's checks run, lacks SELECT and UPDATE (FOR KEY SHARE) on it", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await staging.ObjectsOf026Async());
    }

    [Fact]
    public async Task Down_RunByTheTablesOwner_RemovesAllOf026()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.UpAsOwnerAsync();

        var result = await new FkHarness.Migrator.DowngradeRunner().DownAsync(staging.ConnectionStringAs(staging.Owner), "025");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(0L, await staging.ObjectsOf026Async());
        Assert.Equal(0L, await staging.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'array_fk_indexes'"));
    }

    [Fact]
    public async Task Up_RunByTheOwnerWithoutCreateOnSchemaPublic_RefusesBeforeChangingAnything()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.UpAsOwnerAsync("025");
        await staging.ExecuteAsync("ALTER SCHEMA public OWNER TO CURRENT_USER; REVOKE CREATE ON SCHEMA public FROM PUBLIC");

        var result = await staging.TryUpAsync(staging.Owner);

        Assert.False(result.Succeeded);
        Assert.Contains($"{staging.Owner} may not create the GIN indexes (no CREATE on schema public", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await staging.ObjectsOf026Async());
        Assert.Equal(0L, await staging.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'array_fk_indexes'"));
    }

    [Fact]
    public async Task Up_RunByARoleThatDoesNotOwnTheTables_RefusesBeforeChangingAnything()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.UpAsOwnerAsync("025");
        await staging.ExecuteAsync($"""GRANT CREATE ON DATABASE "{staging.Database.Name}" TO "{staging.Writer}"; GRANT CREATE, USAGE ON SCHEMA fk_fix TO "{staging.Writer}"; GRANT USAGE, CREATE ON SCHEMA fkharness TO "{staging.Writer}"; GRANT ALL ON ALL TABLES IN SCHEMA fkharness TO "{staging.Writer}" """);

        var result = await staging.TryUpAsync(staging.Writer);

        Assert.False(result.Succeeded);
        Assert.Contains("026 precondition failed", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains($"who does not own public.users (owner: {staging.Owner})", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await staging.ObjectsOf026Async());
    }
}
