using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;
using FkHarness.Tests.Reliability;
using Npgsql;
using static FkHarness.Tests.Migrator.MigratorDatabases;

namespace FkHarness.Tests.Migrator;

/// <summary>
/// A migrator that ran its script to the end leaves nothing that the next one takes for an
/// interrupted migrator's session: not even while the server is still ending that session's
/// backend (026's migrator starting right after 025's, in the rehearsal). Here the backend is held
/// in its exit on purpose: the script made a temporary table, and this test holds a lock on it,
/// which the backend must take to drop the table on its way out.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class ScriptSessionMarkTests(PostgresFixture fixture)
{
    private const long GateKey = 0x0046_4B48_5F47_4154;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheNextMigrator_DoesNotWarnOfAnInterruptedMigrator_WhileAFinishedScriptsSessionIsStillClosing()
    {
        await using var db = await BaselineAsync(fixture);
        using var scripts = new ScriptFolder()
            .With("001_lingering", $"CREATE TEMP TABLE fkh_lingering (x integer);\nSELECT pg_advisory_lock_shared({GateKey});\n")
            .With("002_next", "SELECT 1;\n");
        var options = new MigratorOptions { MigrationsDirectory = scripts.Path };
        await using var test = await db.OpenAsync();
        await ExecuteAsync(test, $"SELECT pg_advisory_lock({GateKey})");

        var first = new UpgradeRunner(options).UpAsync(db.ConnectionString, "001");
        await PollAsync(test, $"SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = {GateKey & 0xFFFF_FFFF})", () => first);
        var temporarySchema = await ScalarAsync<string>(test,
            "SELECT n.nspname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE c.relname = 'fkh_lingering' AND c.relpersistence = 't'");
        await ExecuteAsync(test, $"BEGIN; LOCK TABLE {temporarySchema}.fkh_lingering IN ACCESS SHARE MODE");
        await ExecuteAsync(test, $"SELECT pg_advisory_unlock({GateKey})");
        var firstResult = await first.WaitAsync(Patience);
        Assert.True(firstResult.Succeeded, firstResult.Error?.Message);
        // The first script's backend is still there, stuck in its exit on our lock.
        Assert.True(await ScalarAsync<bool>(test, $"SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'fkh_lingering' AND relnamespace = '{temporarySchema}'::regnamespace)"));

        var log = new CapturedLog();
        var second = new UpgradeRunner(options, log.Factory).UpAsync(db.ConnectionString);
        await PollUntilAsync(() => second.IsCompleted || log.Contains("interrupted migrator"));
        await ExecuteAsync(test, "COMMIT");
        var secondResult = await second.WaitAsync(Patience);

        Assert.True(secondResult.Succeeded, secondResult.Error?.Message);
        Assert.Equal(["002_next"], secondResult.Applied);
        Assert.False(log.Contains("interrupted migrator"), string.Join(Environment.NewLine, log.Lines.Select(l => l.Message)));
    }

    private static async Task PollAsync(NpgsqlConnection connection, string condition, Func<Task> mustNotFinish)
    {
        await PollUntilAsync(async () =>
        {
            Assert.False(mustNotFinish().IsCompleted, "the migrator finished before it reached the point the test waits for");
            return await ScalarAsync<bool>(connection, condition);
        });
    }

    private static Task PollUntilAsync(Func<bool> condition) => PollUntilAsync(() => Task.FromResult(condition()));

    private static async Task PollUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
