using FkHarness.Migrator;
using FkHarness.Migrator.Errors;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using static FkHarness.Tests.Migrator.MigratorDatabases;

namespace FkHarness.Tests.Migrator;

/// <summary>
/// 025 caps its lock waits (5 ms attempts retried inside the script for about 2 s; lock_timeout = 1s
/// elsewhere); the migrator reruns a script that still could not take its locks (SQLSTATE 55P03).
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class LockTimeoutRetryTests(PostgresFixture fixture)
{
    private static async Task<NpgsqlTransaction> LockUsersAsync(NpgsqlConnection connection)
    {
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE users IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return transaction;
    }

    [Fact]
    public async Task AScriptThatHitsLockTimeout_IsRetriedUntilTheLockIsReleased()
    {
        await using var db = await BaselineAsync(fixture);
        await using var blocker = await db.OpenAsync();
        var transaction = await LockUsersAsync(blocker);
        var options = new MigratorOptions { LockTimeoutRetries = 5, LockRetryInitialDelay = TimeSpan.FromMilliseconds(500) };

        using var retries = new LockRetrySignal();
        var up = new UpgradeRunner(options, retries.Factory).UpAsync(db.ConnectionString, to: "025");
        await retries.FirstRetry.WaitAsync(TimeSpan.FromSeconds(60));
        await transaction.RollbackAsync();
        var result = await up.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal([Up025], result.Applied);
        Assert.NotEmpty(result.LockWaits);
        Assert.All(result.LockWaits, w => Assert.Equal(Up025 + ".up.sql", w.Script));
        Assert.Equal(Enumerable.Range(1, result.LockWaits.Count), result.LockWaits.Select(w => w.Attempt));
        Assert.Equal(9L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated AND confrelid = 'users'::regclass"));
    }

    [Fact]
    public async Task WhenEveryAttemptHitsLockTimeout_TheErrorNamesTheScriptAndTheLock()
    {
        await using var db = await BaselineAsync(fixture);
        await using var blocker = await db.OpenAsync();
        var transaction = await LockUsersAsync(blocker);
        var options = new MigratorOptions { LockTimeoutRetries = 1, LockRetryInitialDelay = TimeSpan.FromMilliseconds(100) };

        var result = await new UpgradeRunner(options).UpAsync(db.ConnectionString, to: "025").WaitAsync(TimeSpan.FromSeconds(60));
        await transaction.RollbackAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(MigratorErrorKind.Failed, result.Error!.Kind);
        Assert.Equal("55P03", result.Error.SqlState);
        Assert.Contains(Up025 + ".up.sql", result.Error.Message);
        Assert.Contains("lock", result.Error.Message);
        Assert.Contains("all 2 attempts", result.Error.Message);
        Assert.Single(result.LockWaits);
        Assert.Empty(await JournalAsync(db));
    }
}
