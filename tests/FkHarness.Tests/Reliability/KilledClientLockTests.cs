using System.Diagnostics;
using CliWrap;
using FkHarness.Provisioning;
using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// A killed client's session keeps running, and keeps its locks, until its statement ends, unless
/// the server notices the client is gone. Every migrator session sets client_connection_check_interval
/// = 1 s, so a migrator killed inside a long statement frees its locks within about a second.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class KilledClientLockTests(PostgresFixture fixture, ITestOutputHelper output)
{
    // A script that takes a lock writers need and then runs for a minute.
    private const string HoldUsersForAMinute = """
        BEGIN;
        LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE;
        SELECT pg_sleep(60);
        COMMIT;
        """;

    // The server checks every 1 s; the margin covers a busy 2-core machine scheduling the backend late.
    private static readonly TimeSpan ReleaseBound = TimeSpan.FromSeconds(3);

    private const string UsersLockSql = """
        SELECT count(*) FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
        WHERE l.relation = 'users'::regclass AND l.granted AND a.application_name = @app
        """;

    [Fact]
    public async Task AMigratorKilledInsideALongStatement_LosesItsLocksWithinAboutASecond()
    {
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        using var scripts = new ScriptFolder().With("001_hold_users", HoldUsersForAMinute);
        await using var observer = await db.OpenAsync();
        using var migrator = MigratorProcess.Start(db.ConnectionString, "up", "--migrations", scripts.Path);
        await WaitUntilAsync(async () => await UsersLocksAsync(observer, "fkharness-migrator") > 0, TimeSpan.FromSeconds(60), migrator);

        var clock = Stopwatch.StartNew();
        migrator.Kill();
        await WaitUntilAsync(async () => await UsersLocksAsync(observer, "fkharness-migrator") == 0, TimeSpan.FromSeconds(30));
        var released = clock.Elapsed;

        var figures = new ReliabilityFigures(output, "killed-client-locks");
        figures.Line($"A migrator SIGKILLed inside a 60 s statement holding SHARE ROW EXCLUSIVE on users: the lock was gone {released.TotalMilliseconds:0} ms after the kill (bound {ReleaseBound.TotalMilliseconds:0} ms).");
        figures.Save();
        Assert.True(released < ReleaseBound, $"The killed migrator's lock on users lasted {released.TotalSeconds:0.0} s.");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'fkharness-migrator'"));
        await using var writer = await db.OpenAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO users (user_id, email, display_name) VALUES ('usr_after_kill', 'a@example.com', 'After')", writer);
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task WithoutTheClientCheck_AKilledClientKeepsItsLocksUntilItsStatementEnds()
    {
        // The control: the same statement from psql, with the check off (the server default).
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        await using var observer = await db.OpenAsync();
        var target = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        using var kill = new CancellationTokenSource();
        var psql = Cli.Wrap(PostgresBinaries.Locate().Psql)
            .WithArguments(["-X", "-q", "-c", "BEGIN; LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT;"])
            .WithEnvironmentVariables(env => env
                .Set("PGHOST", target.Host).Set("PGPORT", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("PGUSER", target.Username).Set("PGPASSWORD", target.Password).Set("PGDATABASE", target.Database)
                .Set("PGAPPNAME", "fkharness-control").Set("PGOPTIONS", "-c client_connection_check_interval=0"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(kill.Token);
        await WaitUntilAsync(async () => await UsersLocksAsync(observer, "fkharness-control") > 0, TimeSpan.FromSeconds(60));

        await kill.CancelAsync();  // CliWrap kills the process (SIGKILL) on cancellation
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await psql);
        await Task.Delay(ReleaseBound);

        Assert.Equal(1L, await UsersLocksAsync(observer, "fkharness-control"));
        await using var end = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fkharness-control'", observer);
        await end.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task AMigratorStartedRightAfterAKill_WaitsForTheKilledOnesSessionToEnd()
    {
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        // The script records how many other migrator sessions are busy when it starts; only its first run sleeps.
        using var scripts = new ScriptFolder().With("001_overlap", """
            CREATE TABLE IF NOT EXISTS overlap_probe (run int GENERATED ALWAYS AS IDENTITY, busy_migrators int NOT NULL);
            INSERT INTO overlap_probe (busy_migrators)
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'fkharness-migrator' AND state = 'active' AND pid <> pg_backend_pid();
            SELECT pg_sleep(CASE WHEN (SELECT count(*) FROM overlap_probe) = 1 THEN 60 ELSE 0 END);
            """);
        await using var observer = await db.OpenAsync();
        using var first = MigratorProcess.Start(db.ConnectionString, "up", "--migrations", scripts.Path);
        await WaitUntilAsync(async () => await CountAsync(observer, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(CASE%' AND state = 'active'") > 0,
            TimeSpan.FromSeconds(60), first);

        first.Kill();
        var second = await new UpgradeRunner(new MigratorOptions { MigrationsDirectory = scripts.Path }).UpAsync(db.ConnectionString)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(second.Succeeded, second.Error?.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT busy_migrators FROM overlap_probe WHERE run = 2"));
    }

    private static async Task<long> UsersLocksAsync(NpgsqlConnection observer, string application)
    {
        await using var command = new NpgsqlCommand(UsersLockSql, observer);
        command.Parameters.AddWithValue("app", application);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountAsync(NpgsqlConnection observer, string sql)
    {
        await using var command = new NpgsqlCommand(sql, observer);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, MigratorProcess? process = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout || process?.HasExited == true)
            {
                throw new TimeoutException($"Condition not met within {timeout.TotalSeconds:0} s." + (process is null ? "" : $" Migrator output:\n{process.AllOutput}"));
            }

            await Task.Delay(10);
        }
    }
}
