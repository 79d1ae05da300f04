using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// The plan's own verification commands (Steps 3–5), verbatim, run through psql as the plan runs
/// them, after 025 and 026 are applied.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PlanVerificationTests(PostgresFixture fixture)
{
    private const string Step3 = """

          SELECT constraint_name, table_name, constraint_type 
          FROM information_schema.table_constraints 
          WHERE constraint_name LIKE '%_user_id_fkey' 
             OR constraint_name LIKE '%_created_by_fkey' 
             OR constraint_name LIKE '%_requested_by_fkey'
          ORDER BY table_name;
        """;

    private const string Step4 = """

          SELECT tgname, tgrelid::regclass, tgtype 
          FROM pg_trigger 
          WHERE tgname LIKE 'trg_check_%'
          ORDER BY tgrelid;
        """;

    private const string Step5 = """
        -- Count total FK constraints
        SELECT COUNT(*) AS total_fks 
        FROM information_schema.table_constraints 
        WHERE constraint_type = 'FOREIGN KEY' AND table_schema = 'public';

        -- Verify no orphans remain
        SELECT 'dashboard_widgets' AS table_name, COUNT(*) AS orphans 
        FROM dashboard_widgets 
        WHERE user_id NOT IN (SELECT user_id FROM users);

        -- Test trigger validation (should fail)
        DO $$ 
        BEGIN
          BEGIN
            INSERT INTO deployment_approvals (deployment_id, approved_by) 
            VALUES (1, ARRAY[999999]::BIGINT[]);
            RAISE EXCEPTION 'Trigger validation failed: should reject invalid user ID';
          EXCEPTION WHEN others THEN
            IF SQLERRM NOT LIKE '%Invalid user IDs%' THEN
              RAISE;
            END IF;
          END;
        END $$;
        """;

    private async Task<TestDatabase> MigratedAsync()
    {
        var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        await FixMigrations.UpAsync(database);
        return database;
    }

    [Fact]
    public async Task Step3_ConstraintQuery_ListsTheNewForeignKeys()
    {
        await using var database = await MigratedAsync();

        var result = await Psql.RunCommandAsync(database.ConnectionString, Step3);

        Assert.Equal(0, result.ExitCode);
        // The plan's LIKE patterns see 7 of the 9 (not restored_by, initiated_by): the catalog
        // tests check all nine.
        Assert.Contains("dashboard_widgets_user_id_fkey", result.StandardOutput);
        Assert.Contains("deployment_queue_requested_by_fkey", result.StandardOutput);
        Assert.Contains("artifact_versions_created_by_fkey", result.StandardOutput);
        Assert.Contains("(7 rows)", result.StandardOutput);
    }

    [Fact]
    public async Task Step4_TriggerQuery_ListsTheTriggers()
    {
        await using var database = await MigratedAsync();

        var result = await Psql.RunCommandAsync(database.ConnectionString, Step4);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("trg_check_deployment_approvals_approved_by_insert", result.StandardOutput);
        Assert.Contains("(14 rows)", result.StandardOutput);  // 8 on the array columns, 6 guards on users and alert_conditions
    }

    [Fact]
    public async Task Step5_VerificationScript_Passes()
    {
        await using var database = await MigratedAsync();
        var script = Path.Combine(Path.GetTempPath(), $"step5-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, Step5);

        try
        {
            var result = await Psql.RunFileAsync(database.ConnectionString, script);

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Matches(@"total_fks\s*-+\s*14\b", result.StandardOutput);
            Assert.Matches(@"dashboard_widgets \|\s+0\b", result.StandardOutput);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task Step5_BeforeTheFix_TheTriggerCheckFails()
    {
        // The verification can fail: without 026 the bad insert succeeds and the DO block raises.
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        var script = Path.Combine(Path.GetTempPath(), $"step5-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, Step5);

        try
        {
            var result = await Psql.RunFileAsync(database.ConnectionString, script);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("Trigger validation failed", result.StandardError);
        }
        finally
        {
            File.Delete(script);
        }
    }
}
