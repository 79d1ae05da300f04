using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// 026 on a staging-shaped database, names and schemas: nothing depends on the session's
/// search_path, neither 026 itself nor its checks; a tenant's or a role's own users is never consulted.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StagingSchema026NameTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Up_ThroughPsqlWithAnEmptySearchPath_GuardsThePublicTables()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.UpAsOwnerAsync("025");
        var emptyPath = new NpgsqlConnectionStringBuilder(staging.Database.ConnectionString) { Options = "-c search_path=" }.ConnectionString;

        var result = await Psql.RunFileAsync(emptyPath, MigrationFiles.Up026);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(14L, await staging.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'trg_check_%'"));
        var error = await Assert.ThrowsAsync<PostgresException>(() => staging.ExecuteAsync("SET search_path = ''; INSERT INTO public.deployment_approvals (deployment_id, approved_by) VALUES (1, '{999999}')"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [Fact]
    public async Task ARoleNamedSchemaWithItsOwnUsers_IsNotConsulted_WhenTheWriterInserts()
    {
        // The writer's default search_path is "$user", public: its own schema's users comes first.
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.ExecuteAsync($"""
            CREATE SCHEMA "{staging.Writer}" AUTHORIZATION "{staging.Writer}";
            CREATE TABLE "{staging.Writer}".users (id bigint PRIMARY KEY);
            ALTER TABLE "{staging.Writer}".users OWNER TO "{staging.Writer}";
            INSERT INTO "{staging.Writer}".users VALUES (999999);
            """);
        await staging.UpAsOwnerAsync();

        var error = await staging.RejectedAsAsync(staging.Writer, "INSERT INTO deployment_approvals (deployment_id, approved_by) VALUES (1, '{1,999999}')");

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains(": 999999", error.MessageText);
    }

    [Fact]
    public async Task AWritersOwnEqualsOperatorFirstOnItsSearchPath_IsNotUsedByTheChecks()
    {
        // The checks run as the owner: an operator the caller's search_path picked (in a schema the
        // owner may use) would run as the owner too, and here say every id exists.
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.ExecuteAsync($"""CREATE SCHEMA "{staging.Writer}" AUTHORIZATION "{staging.Writer}" """);
        await staging.UpAsOwnerAsync();
        await staging.ExecuteAsAsync(staging.Writer, $"""
            CREATE FUNCTION "{staging.Writer}".always_equal(bigint, bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
            CREATE OPERATOR "{staging.Writer}".= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = "{staging.Writer}".always_equal);
            CREATE FUNCTION "{staging.Writer}".unnest(bigint[]) RETURNS SETOF bigint LANGUAGE sql AS 'SELECT 1::bigint';
            GRANT USAGE ON SCHEMA "{staging.Writer}" TO PUBLIC;
            """);

        var insert = await staging.RejectedAsAsync(staging.Writer,
            $"""SET search_path = "{staging.Writer}", pg_catalog, public; """ + "INSERT INTO deployment_approvals (deployment_id, approved_by) VALUES (1, '{1,999999}')");
        await staging.ExecuteAsAsync(staging.Writer, "INSERT INTO public.deployment_approvals (deployment_id, approved_by) VALUES (1, '{1}')");
        var update = await staging.RejectedAsAsync(staging.Writer,
            $"""SET search_path = "{staging.Writer}", pg_catalog, public; """ + "UPDATE deployment_approvals SET approved_by = '{1,888888}'");

        Assert.Contains(": 999999", insert.MessageText);
        Assert.Contains(": 888888", update.MessageText);
    }

    [Fact]
    public async Task Up_RunWithATenantSchemaFirstOnTheSearchPath_TouchesOnlyThePublicTables()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            CREATE SCHEMA tenant_a;
            CREATE TABLE tenant_a.users (id bigint PRIMARY KEY);
            CREATE TABLE tenant_a.deployment_approvals (id bigint PRIMARY KEY, approved_by bigint[] NOT NULL);
            INSERT INTO tenant_a.users VALUES (4242);
            """);
        await staging.UpAsOwnerAsync("025");
        var tenantFirst = new NpgsqlConnectionStringBuilder(staging.Database.ConnectionString) { Options = "-c search_path=tenant_a,public" }.ConnectionString;

        var result = await new FkHarness.Migrator.UpgradeRunner().UpAsync(tenantFirst, "026");

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(0L, await staging.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'tenant_a.deployment_approvals'::regclass"));
        Assert.Equal(0L, await staging.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace = 'tenant_a'::regnamespace AND relkind = 'i' AND relname LIKE '%gin'"));
        var error = await Assert.ThrowsAsync<PostgresException>(() => staging.ExecuteAsync(
            "SET search_path = tenant_a, public; INSERT INTO public.deployment_approvals (deployment_id, approved_by) VALUES (1, '{4242}')"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }
}
