using FkHarness.Migrator.Audit;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>
/// An orphan is what the FK will refuse: users.user_id = value in users.user_id's collation,
/// whatever the source column's own collation. 024 counts the same.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class CollationTests(PostgresFixture fixture)
{
    private const string CaseInsensitive = "CREATE COLLATION public.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);";

    [Fact]
    public async Task Up_WhenUsersUserIdIsCaseInsensitive_CaseVariantsAreNoOrphans_And024Agrees()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync(CaseInsensitive + """
            ALTER TABLE users ALTER COLUMN user_id TYPE text COLLATE public.case_insensitive;
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'USR_ALICE', 'error', 'x'), (2, 'usr_gone', 'error', 'y');
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, 'Usr_Bob', 'chart', 't');
            """);

        var audit = await new AuditRunner().RunAsync(database.ConnectionString);
        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(1L, audit.Relationships.Sum(r => r.OrphanCount));
        Assert.Equal(["error_logs#2 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal("USR_ALICE", await database.ScalarAsync<string>("SELECT user_id FROM error_logs WHERE id = 1"));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }

    [Fact]
    public async Task Up_WhenOnlyTheSourceColumnIsCaseInsensitive_CaseVariantsAreOrphans_AsTheFkSees_And024Agrees()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync(CaseInsensitive + """
            ALTER TABLE error_logs ALTER COLUMN user_id TYPE text COLLATE public.case_insensitive;
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'USR_ALICE', 'error', 'x'), (2, 'usr_alice', 'error', 'y');
            """);

        var audit = await new AuditRunner().RunAsync(database.ConnectionString);
        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(1L, audit.Relationships.Single(r => r.SourceTable == "error_logs" && r.SourceColumn == "user_id").OrphanCount);
        Assert.Equal(["error_logs#1 set_null 'USR_ALICE'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }

    [Fact]
    public async Task Up_WhenColumnsHaveOtherDeterministicCollations_Runs()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            ALTER TABLE users ALTER COLUMN user_id TYPE text COLLATE "C";
            ALTER TABLE deployment_queue ALTER COLUMN requested_by TYPE text COLLATE "POSIX";
            INSERT INTO deployment_queue (id, deployment_id, requested_by) VALUES (1, 1, 'usr_bob'), (2, 1, 'Usr_Bob');
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(["deployment_queue#2 set_null 'Usr_Bob'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }
}
