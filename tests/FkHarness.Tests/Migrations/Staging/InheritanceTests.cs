using FkHarness.Migrator.Audit;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>
/// Inheritance children and partitions. An FK is not inherited: 025 constrains and cleans the
/// rows of each table itself (ONLY), as ALTER TABLE ... ADD FOREIGN KEY on it does, and compares
/// with users' own rows, as the FK's check does. A partitioned source table takes no NOT VALID FK
/// and no concurrent index in PostgreSQL 15: refused upfront.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class InheritanceTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Up_WithAnInheritanceChildOfASourceTable_CleansOnlyTheParentsRows_EvenWhereIdsCoincide()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE TABLE public.error_logs_2019 () INHERITS (error_logs);
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'parent');
            INSERT INTO error_logs_2019 (id, user_id, severity, message) VALUES (1, 'usr_old', 'error', 'child'), (2, 'usr_old', 'error', 'child');
            """);

        var audit = await new AuditRunner().RunAsync(database.ConnectionString);
        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(1L, audit.Relationships.Single(r => r.SourceTable == "error_logs" && r.SourceColumn == "user_id").OrphanCount);
        Assert.Equal(["error_logs#1 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal("1=,", await database.ScalarAsync<string>("SELECT string_agg(id || '=' || coalesce(user_id, ''), ',') || ',' FROM ONLY error_logs"));
        Assert.Equal("1=usr_old,2=usr_old", await database.ScalarAsync<string>("SELECT string_agg(id || '=' || user_id, ',' ORDER BY id) FROM error_logs_2019"));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }

    [Fact]
    public async Task Up_ThroughPsql_WarnsNamingTheChildrenItLeavesUnconstrained()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("CREATE TABLE public.error_logs_2019 () INHERITS (error_logs)");

        var result = await Psql.RunFileAsync(database.ConnectionString, MigrationFiles.Up025);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("WARNING:  025: inheritance children are not covered: error_logs (children: error_logs_2019)", result.StandardError);
    }

    [Fact]
    public async Task Up_WhenAUserIdExistsOnlyInAnInheritanceChildOfUsers_TreatsItAsTheFkDoes_AsAnOrphan()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE TABLE public.users_archived () INHERITS (users);
            INSERT INTO users_archived (id, user_id, email, display_name) VALUES (50, 'usr_archived', 'a@example.com', 'Archived');
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_archived', 'error', 'x'), (2, 'usr_alice', 'error', 'y');
            """);

        var audit = await new AuditRunner().RunAsync(database.ConnectionString);
        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(1L, audit.Relationships.Single(r => r.SourceTable == "error_logs" && r.SourceColumn == "user_id").OrphanCount);
        Assert.Equal(["error_logs#1 set_null 'usr_archived'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }

    [Fact]
    public async Task Up_WithAPartitionedSourceTable_IsRefusedBeforeChangingAnything()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            DROP TABLE migration_rollback_audit;
            CREATE TABLE public.migration_rollback_audit (
                id bigint NOT NULL, migration_name text NOT NULL, initiated_by text, reason text NOT NULL,
                rolled_back_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (id)) PARTITION BY RANGE (id);
            CREATE TABLE public.migration_rollback_audit_1 PARTITION OF migration_rollback_audit FOR VALUES FROM (0) TO (1000);
            INSERT INTO migration_rollback_audit (id, migration_name, initiated_by, reason) VALUES (1, '023', 'usr_gone', 'r'), (2, '023', 'usr_bob', 'r');
            """);
        var before = await StagingSchema.StateAsync(database);

        var audit = await new AuditRunner().RunAsync(database.ConnectionString);
        var error = await StagingSchema.Up025Async(database.ConnectionString);

        var counted = audit.Relationships.Single(r => r.SourceTable == "migration_rollback_audit");
        Assert.Equal((2L, 1L), (counted.TotalRows, counted.OrphanCount));

        Assert.Equal("42809", error?.SqlState);
        Assert.Contains("not a plain table: migration_rollback_audit (partitioned table)", error!.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_WithPartitionedUsers_ComparesWithThePartitionsRows()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            ALTER TABLE users RENAME TO users_old;
            CREATE TABLE public.users (id bigint NOT NULL, user_id text NOT NULL, email text, display_name text, PRIMARY KEY (user_id, id), UNIQUE (user_id)) PARTITION BY HASH (user_id);
            CREATE TABLE public.users_p0 PARTITION OF users FOR VALUES WITH (MODULUS 2, REMAINDER 0);
            CREATE TABLE public.users_p1 PARTITION OF users FOR VALUES WITH (MODULUS 2, REMAINDER 1);
            INSERT INTO users SELECT id, user_id, email, display_name FROM users_old;
            DROP TABLE users_old;
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x'), (2, 'usr_alice', 'error', 'y'), (3, 'usr_bob', 'error', 'z');
            """);

        var audit = await new AuditRunner().RunAsync(database.ConnectionString);
        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(1L, audit.Relationships.Single(r => r.SourceTable == "error_logs" && r.SourceColumn == "user_id").OrphanCount);
        Assert.Equal(["error_logs#1 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }
}
