using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>
/// 024/025 name the application tables in public whatever the session's search_path: empty (a
/// data-only restore), or led by a schema named like the running role that holds its own users.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class SearchPathTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Up_WithARoleNamedSchemaHoldingItsOwnUsers_ConstrainsToPublicUsers()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        // "$user" leads the default search_path: the superuser running the tests is postgres.
        await database.ExecuteAsync("""
            CREATE SCHEMA postgres;
            CREATE TABLE postgres.users (id bigint PRIMARY KEY, user_id text UNIQUE);
            INSERT INTO postgres.users VALUES (1, 'usr_tenant'), (2, 'usr_alice');
            INSERT INTO public.error_logs (id, user_id, severity, message) VALUES (1, 'usr_tenant', 'error', 'x'), (2, 'usr_alice', 'error', 'y');
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
        Assert.Equal(["error_logs#1 set_null 'usr_tenant'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal("usr_alice", await database.ScalarAsync<string>("SELECT user_id FROM public.error_logs WHERE id = 2"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE confrelid = 'postgres.users'::regclass"));
    }

    [Fact]
    public async Task Up_AndAudit_WithAnEmptySearchPath_Work_AndTheJournalIsWritten()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync($"""
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x');
            ALTER DATABASE "{database.Name}" SET search_path = '';
            """);

        var audit = await new FkHarness.Migrator.Audit.AuditRunner().RunAsync(database.ConnectionString);
        Assert.True(audit.Succeeded, audit.Error?.Message);
        Assert.Equal(1L, audit.Relationships.Single(r => r.SourceTable == "error_logs" && r.SourceColumn == "user_id").OrphanCount);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
        Assert.Equal(["error_logs#1 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM fkharness.schema_versions WHERE script_name LIKE '025%'"));
    }

    [Fact]
    public async Task Up_ThroughPsql_ResetsTheSessionsSearchPathAtTheEnd()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        var script = Path.Combine(Path.GetTempPath(), $"sp-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, $"\\i {MigrationFiles.Up025}\nSELECT 'path=' || current_setting('search_path');\n");
        try
        {
            var result = await Psql.RunFileAsync(database.ConnectionString, script);

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Contains("path=\"$user\", public\n", result.StandardOutput);
        }
        finally
        {
            File.Delete(script);
        }
    }
}
