using FkHarness.Tests.Infrastructure;
using FkHarness.Tests.Reliability;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// Indexes and FKs that were there before 025: one exactly like 025's is adopted (used, and left in
/// place by 025 down); anything else under 025's names, or a second FK to users on the same column,
/// makes 025 refuse before changing anything, naming it.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PreexistingObjectTests(PostgresFixture fixture)
{
    public static TheoryData<string, string> NotWhatThePlanNeeds => new()
    {
        // The newcomer's dump: an index of 025's name, but over every row (not partial).
        { "CREATE INDEX idx_error_logs_user_id ON error_logs (user_id)", "idx_error_logs_user_id exists as CREATE INDEX idx_error_logs_user_id ON public.error_logs USING btree (user_id)" },
        { "CREATE INDEX idx_error_logs_user_id ON error_logs (session_id) WHERE session_id IS NOT NULL", "idx_error_logs_user_id exists as CREATE INDEX idx_error_logs_user_id ON public.error_logs USING btree (session_id)" },
        { "CREATE UNIQUE INDEX idx_error_logs_user_id ON error_logs (user_id) WHERE user_id IS NOT NULL", "CREATE UNIQUE INDEX idx_error_logs_user_id" },
        { "CREATE TABLE idx_error_logs_user_id (id int)", "idx_error_logs_user_id exists as a relation of kind 'r', not an index" },
        { "ALTER TABLE error_logs ADD CONSTRAINT error_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE", "error_logs_user_id_fkey on error_logs exists as FOREIGN KEY (user_id) REFERENCES users(user_id) ON DELETE CASCADE" },
        { "ALTER TABLE error_logs ADD CONSTRAINT error_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (user_id) NOT VALID", "error_logs_user_id_fkey on error_logs exists as FOREIGN KEY (user_id) REFERENCES users(user_id) NOT VALID" },
        { "ALTER TABLE error_logs ADD CONSTRAINT error_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (user_id) DEFERRABLE", "DEFERRABLE" },
        { "ALTER TABLE error_logs ADD CONSTRAINT error_logs_user_id_fkey CHECK (user_id <> '')", "error_logs_user_id_fkey on error_logs exists as CHECK ((user_id <> ''::text))" },
        { "ALTER TABLE error_logs ADD CONSTRAINT fk_error_logs_user FOREIGN KEY (user_id) REFERENCES users (user_id)", "fk_error_logs_user on error_logs (FOREIGN KEY (user_id) REFERENCES users(user_id)) already constrains user_id; 025 would add a second foreign key" },
    };

    [Theory]
    [MemberData(nameof(NotWhatThePlanNeeds))]
    public async Task Up_WithAnObjectUnder025sNameThatIsNotWhatThePlanNeeds_RefusesNamingIt_AndChangesNothing(string existing, string named)
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        await database.ExecuteAsync("UPDATE error_logs SET user_id = NULL WHERE user_id IS NOT NULL AND user_id NOT IN ('usr_alice', 'usr_bob')");
        await database.ExecuteAsync(existing);
        var before = await EndState.TakeAsync(database.ConnectionString);

        var result = await Psql.RunFileAsync(database.ConnectionString, MigrationFiles.Up025);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("025 refused: object(s) already there under the names 025 uses", result.StandardError);
        Assert.Contains(named, result.StandardError);
        Assert.Contains("Nothing was changed", result.StandardError);
        Assert.Equal("", before.Diff(await EndState.TakeAsync(database.ConnectionString)));
    }

    [Fact]
    public async Task Up_AdoptsAnIndexAndFkExactlyLike025s_AndDownLeavesThemInPlace()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        await database.ExecuteAsync("""
            UPDATE error_logs SET user_id = NULL WHERE user_id IS NOT NULL AND user_id NOT IN ('usr_alice', 'usr_bob');
            CREATE INDEX idx_error_logs_user_id ON error_logs (user_id) WHERE user_id IS NOT NULL;
            ALTER TABLE error_logs ADD CONSTRAINT error_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (user_id);
            CREATE INDEX app_error_logs_by_user ON error_logs (user_id, occurred_at);
            """);
        var data = await TableChecksums.TakeAsync(database.ConnectionString);
        var schema = await SchemaSnapshot.TakeAsync(database.ConnectionString);

        var up = await Psql.RunFileAsync(database.ConnectionString, MigrationFiles.Up025);

        Assert.True(up.ExitCode == 0, up.StandardError);
        Assert.Contains("error_logs.user_id already has index app_error_logs_by_user", up.StandardError);
        Assert.Equal(["error_logs false false", "user_preferences true true"],
            await database.ColumnAsync("SELECT table_name || ' ' || index_owned || ' ' || fk_owned FROM fk_fix.text_fk_plan WHERE table_name IN ('error_logs', 'user_preferences') ORDER BY 1"));
        Assert.Equal(9L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass AND convalidated"));

        await FixMigrations.RunWithPsqlAsync(database, MigrationFiles.Down025);

        Assert.Equal(schema, await SchemaSnapshot.TakeAsync(database.ConnectionString));
        Assert.Equal(data, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal(["error_logs_user_id_fkey"], await database.ColumnAsync("SELECT conname::text FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass"));
        Assert.True(await database.ScalarAsync<bool>("SELECT to_regclass('idx_error_logs_user_id') IS NOT NULL"));
    }

    [Fact]
    public async Task Down_WhereUpNeverRan_LeavesTheApplicationsOwnObjectsOfThoseNames()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("CREATE INDEX idx_error_logs_user_id ON error_logs (user_id)");
        var schema = await SchemaSnapshot.TakeAsync(database.ConnectionString);

        await FixMigrations.RunWithPsqlAsync(database, MigrationFiles.Down025);

        Assert.Equal(schema, await SchemaSnapshot.TakeAsync(database.ConnectionString));
    }
}
