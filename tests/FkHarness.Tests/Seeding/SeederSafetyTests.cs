using FkHarness.Seeder;
using FkHarness.Seeder.Progress;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Seeding;

/// <summary>
/// The seeder writes only into an empty database the baseline marked, and otherwise leaves the
/// database exactly as it found it; a failure half-way through leaves nothing behind.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class SeederSafetyTests(PostgresFixture fixture)
{
    [Fact]
    public async Task RefusesADatabaseWithoutTheRehearsalMarker_AndLeavesItUnchanged()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("DROP SCHEMA fkharness CASCADE");
        var before = await TableChecksums.TakeAsync(database.ConnectionString);

        var outcome = await SeedingDatabase.SeedAsync(database);

        Assert.Equal(SeedStatus.Refused, outcome.Status);
        Assert.Contains("fkharness.rehearsal", outcome.Message);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(before, await TableChecksums.TakeAsync(database.ConnectionString));
    }

    [Fact]
    public async Task RefusesADatabaseThatHoldsData_AndLeavesItUnchanged()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("INSERT INTO sync_events (client_id, event_type) VALUES ('ios-1', 'session.started')");
        var before = await TableChecksums.TakeAsync(database.ConnectionString);

        var outcome = await SeedingDatabase.SeedAsync(database);

        Assert.Equal(SeedStatus.Refused, outcome.Status);
        Assert.Contains("already holds application data (in sync_events)", outcome.Message);
        Assert.Equal(before, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM fkharness.rehearsal WHERE seeded_at IS NOT NULL"));
    }

    [Fact]
    public async Task RefusesADatabaseSeededBefore_EvenIfEmptiedSince()
    {
        await using var database = (await SeededTemplate.CreateAsync(fixture)).Database;
        await database.ExecuteAsync("TRUNCATE users, deployments, alert_conditions, dashboard_widgets, user_preferences, error_logs, " +
            "deployment_queue, deployment_schedules, database_backups, backup_restore_history, migration_rollback_audit, " +
            "artifact_versions, deployment_approvals, approval_rules, alert_condition_groups, alert_escalations, sync_events");

        var outcome = await SeedingDatabase.SeedAsync(database);

        Assert.Equal(SeedStatus.Refused, outcome.Status);
        Assert.Contains("already seeded", outcome.Message);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Force_ReplacesTheDataOfASeededDatabase()
    {
        await using var database = (await SeededTemplate.CreateAsync(fixture)).Database;

        var result = await SeedingDatabase.SeedOrFailAsync(database, o => o with { Force = true, Seed = 7, Scale = 0.05 });

        foreach (var (table, rows) in result.RowCounts)
        {
            Assert.Equal(rows, await database.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
        }

        Assert.NotEqual(SeededTemplate.Manifest.RowCounts, result.RowCounts);
    }

    [Fact]
    public async Task Force_SeedsADatabaseWithoutTheMarker_AndSetsNoMarker()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("DROP SCHEMA fkharness CASCADE");

        var result = await SeedingDatabase.SeedOrFailAsync(database, o => o with { Force = true });

        Assert.Equal(result.RowCounts["users"], await database.ScalarAsync<long>("SELECT count(*) FROM users"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'fkharness'"));
    }

    [Fact]
    public async Task MarksTheDatabaseSeeded()
    {
        await using var database = (await SeededTemplate.CreateAsync(fixture)).Database;

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM fkharness.rehearsal WHERE seeded_at IS NOT NULL"));
    }

    [Fact]
    public async Task FailsOnASchemaThatDoesNotMatch_NamingTheColumn_AndLeavesItUnchanged()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("ALTER TABLE artifact_versions DROP COLUMN sha256; ALTER TABLE sync_events ALTER COLUMN client_id DROP NOT NULL");
        var before = await TableChecksums.TakeAsync(database.ConnectionString);

        var outcome = await SeedingDatabase.SeedAsync(database);

        Assert.Equal(SeedStatus.Failed, outcome.Status);
        Assert.Contains("column artifact_versions.sha256 is missing", outcome.Message);
        Assert.Contains("column sync_events.client_id is nullable, expected NOT NULL", outcome.Message);
        Assert.Equal(before, await TableChecksums.TakeAsync(database.ConnectionString));
    }

    [Fact]
    public async Task FailsOnADatabaseWithoutTheBaseline_EvenWithForce()
    {
        await using var database = await fixture.CreateEmptyDatabaseAsync();

        var outcome = await SeedingDatabase.SeedAsync(database, o => o with { Force = true });

        Assert.Equal(SeedStatus.Failed, outcome.Status);
        Assert.Contains("run the migrator's `baseline` command first", outcome.Message);
    }

    [Fact]
    public async Task AFailureDuringTheLoad_RollsBackEverything_AndWritesNoManifest()
    {
        // sync_events is the last table copied: this constraint fails the load at its very end.
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("ALTER TABLE sync_events ADD CONSTRAINT no_android CHECK (client_id NOT LIKE 'android-%')");
        var before = await TableChecksums.TakeAsync(database.ConnectionString);
        var manifestPath = Path.Combine(Path.GetTempPath(), $"fkharness-manifest-{Guid.NewGuid():N}.json");

        var outcome = await SeedingDatabase.SeedAsync(database, o => o with { ManifestPath = manifestPath });

        Assert.Equal(SeedStatus.Failed, outcome.Status);
        Assert.Contains("no_android", outcome.Message);
        Assert.Contains("nothing was written", outcome.Message);
        Assert.Equal(before, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM fkharness.rehearsal WHERE seeded_at IS NOT NULL"));
        Assert.False(File.Exists(manifestPath));
        Assert.False(File.Exists(manifestPath + ".partial"));
    }

    [Fact]
    public async Task Cancelling_MidLoad_RollsBackEverything()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        var before = await TableChecksums.TakeAsync(database.ConnectionString);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DatabaseSeeder.SeedAsync(
            SeededTemplate.OptionsFor(database.ConnectionString), new CancelAfterTable("error_logs", cancel), cancel.Token));

        Assert.Equal(before, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM fkharness.rehearsal WHERE seeded_at IS NOT NULL"));
    }

    [Fact]
    public async Task AWrongPassword_FailsWithAMessageThatDoesNotContainIt()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("CREATE ROLE seeder_probe LOGIN PASSWORD 'right-horse-battery'");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
            {
                Username = "seeder_probe",
                Password = "wrong-staple-9f3k",
            }.ConnectionString;

            var outcome = await DatabaseSeeder.SeedAsync(SeededTemplate.OptionsFor(connectionString));

            Assert.Equal(SeedStatus.Failed, outcome.Status);
            Assert.DoesNotContain("wrong-staple-9f3k", outcome.Message);
            Assert.Contains("seeder_probe", outcome.Message);
        }
        finally
        {
            await database.ExecuteAsync("DROP ROLE seeder_probe");
        }
    }

    [Fact]
    public async Task AdvancesIdentitySequences_SoTheApplicationCanInsert()
    {
        await using var database = (await SeededTemplate.CreateAsync(fixture)).Database;

        foreach (var table in SeededTemplate.Manifest.RowCounts.Keys)
        {
            var next = await database.ScalarAsync<long>($"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))");
            Assert.True(next > await database.ScalarAsync<long>($"SELECT coalesce(max(id), 0) FROM {table}"), table);
        }

        var id = await database.ScalarAsync<long>("INSERT INTO users (user_id, email, display_name) VALUES ('usr_newcomer1', 'n@example.com', 'New') RETURNING id");
        Assert.True(id > SeededTemplate.Manifest.RowCounts["users"]);
    }

    /// <summary>Presses Ctrl+C, in effect, once a given table is loaded.</summary>
    private sealed class CancelAfterTable(string table, CancellationTokenSource cancel) : ISeedProgress
    {
        public void TableStarted(string name, long expectedRows)
        {
        }

        public void RowsWritten(string name, long rowsSoFar)
        {
        }

        public void TableFinished(TableLoad load)
        {
            if (load.Table == table)
            {
                cancel.Cancel();
            }
        }

        public void StepStarted(string description)
        {
        }

        public void Completed(SeedResult result)
        {
        }
    }
}
