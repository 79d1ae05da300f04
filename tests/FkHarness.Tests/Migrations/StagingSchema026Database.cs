using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// A baseline database shaped like staging for 026: the tables (and the database, and the harness's
/// fkharness schema) owned by a
/// role that is not a superuser, a least-privilege writer (SELECT on users and alert_conditions,
/// SELECT/INSERT/UPDATE on the four array tables, nothing on fk_fix) and a users-only admin
/// (SELECT, DELETE, TRUNCATE on users and alert_conditions). The roles are the cluster's, named
/// after the database so that tests never share one; the superuser sets each with SET ROLE.
/// </summary>
internal sealed class StagingSchema026Database(TestDatabase database) : IAsyncDisposable
{
    public TestDatabase Database { get; } = database;

    public string Owner => Role("owner");

    public string Writer => Role("writer");

    public string Admin => Role("admin");

    public string Role(string suffix) => $"r_{Database.Name[^12..]}_{suffix}";

    /// <summary>The baseline with its targets, the roles and their grants; <paramref name="shape"/> then runs as the superuser, before any migration.</summary>
    public static async Task<StagingSchema026Database> CreateAsync(PostgresFixture fixture, string shape = "")
    {
        var staging = new StagingSchema026Database(await BaselineTemplate.CreateAsync(fixture));
        await staging.ExecuteAsync(ArrayForeignKeyTests.Targets);
        await staging.ExecuteAsync($"""
            CREATE ROLE "{staging.Owner}" NOLOGIN;
            CREATE ROLE "{staging.Writer}" NOLOGIN;
            CREATE ROLE "{staging.Admin}" NOLOGIN;
            ALTER DATABASE "{staging.Database.Name}" OWNER TO "{staging.Owner}";
            DO $$
            DECLARE t text;
            BEGIN
                FOR t IN SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname IN ('public', 'fkharness') LOOP
                    EXECUTE format('ALTER TABLE %s OWNER TO %I', t, '{staging.Owner}');
                END LOOP;
                EXECUTE format('ALTER SCHEMA fkharness OWNER TO %I', '{staging.Owner}');
            END
            $$;
            GRANT SELECT ON public.users, public.alert_conditions TO "{staging.Writer}";
            GRANT SELECT, INSERT, UPDATE ON public.deployment_approvals, public.alert_escalations, public.approval_rules, public.alert_condition_groups TO "{staging.Writer}";
            GRANT SELECT, DELETE, TRUNCATE ON public.users, public.alert_conditions TO "{staging.Admin}";
            """);
        if (shape.Length > 0)
        {
            await staging.ExecuteAsync(shape);
        }

        return staging;
    }

    /// <summary>A login as the superuser whose session runs as <paramref name="role"/> (SET ROLE at connection start).</summary>
    public string ConnectionStringAs(string role) =>
        new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Options = $"-c role={role}" }.ConnectionString;

    /// <summary>025 and 026 up through the migrator, run as the tables' owner.</summary>
    public async Task UpAsOwnerAsync(string to = "026")
    {
        var result = await new UpgradeRunner().UpAsync(ConnectionStringAs(Owner), to);
        Assert.True(result.Succeeded, $"up --to {to} as the owner failed: {result.Error}");
    }

    public Task<MigrationRunResult> TryUpAsync(string role, string to = "026") => new UpgradeRunner().UpAsync(ConnectionStringAs(role), to);

    public Task ExecuteAsync(string sql) => Database.ExecuteAsync(sql);

    public Task<T> ScalarAsync<T>(string sql) => Database.ScalarAsync<T>(sql);

    public async Task ExecuteAsAsync(string role, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringAs(role));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<long> CountAsAsync(string role, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringAs(role));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public Task<PostgresException> RejectedAsAsync(string role, string sql) =>
        Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAsync(role, sql));

    /// <summary>What 026 leaves in the catalog: its triggers, its GIN indexes, the functions in fk_fix.</summary>
    public Task<long> ObjectsOf026Async() => ScalarAsync<long>("""
        SELECT (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'trg_check_%')
             + (SELECT count(*) FROM pg_class WHERE relname LIKE 'idx\_%\_gin' AND relkind = 'i')
             + (SELECT count(*) FROM pg_proc WHERE pronamespace = to_regnamespace('fk_fix') AND proname LIKE ANY (ARRAY['check\_%', 'guard\_%']))
        """);

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
