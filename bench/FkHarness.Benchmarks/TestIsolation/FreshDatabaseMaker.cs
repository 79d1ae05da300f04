using System.Diagnostics;
using FkHarness.Provisioning;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Seeder;
using Npgsql;

namespace FkHarness.Benchmarks.TestIsolation;

/// <summary>
/// Makes a test database the two ways the test fixture could, exactly as it does them: a fresh
/// unpooled admin connection per command (PostgresFixture.ExecuteAdminAsync), psql -f for the
/// baseline (BaselineTemplate), the seeder in-process at the tests' scale (SeededTemplate). With
/// <c>pooledAdmin</c>, the admin connection (to the postgres database, never to a template or a
/// test database) comes from a pool instead.
/// </summary>
internal sealed class FreshDatabaseMaker(BenchServer server, bool pooledAdmin)
{
    /// <summary>The tests' seeded template: scale 0.1 (~10,000 rows), 5 % orphans, a fixed seed.</summary>
    public static SeedOptions TestScale(string connectionString) => new()
    {
        ConnectionString = connectionString,
        Scale = 0.1,
        Seed = 20251101,
        OrphanRate = 0.05,
    };

    public async Task<FreshDatabaseTimes> CloneAsync(string template, string name, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var connect = await AdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", cancellationToken);
        return new FreshDatabaseTimes(clock.Elapsed, connect, clock.Elapsed - connect, TimeSpan.Zero, TimeSpan.Zero);
    }

    public async Task<FreshDatabaseTimes> BuildAsync(string name, bool seed, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var connect = await AdminAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        var created = clock.Elapsed;
        var connectionString = server.UnpooledConnectionString(name);
        (await PsqlFile.RunAsync(server.Binaries, connectionString, MigrationFiles.Baseline, cancellationToken)).EnsureSucceeded("The baseline schema");
        var schema = clock.Elapsed - created;
        if (seed)
        {
            var outcome = await DatabaseSeeder.SeedAsync(TestScale(connectionString), cancellationToken: cancellationToken);
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"Seeding {name} failed ({outcome.Status}): {outcome.Message}");
            }
        }

        return new FreshDatabaseTimes(clock.Elapsed, connect, created - connect, schema, clock.Elapsed - created - schema);
    }

    /// <summary>
    /// What the fixture now does: take a clone the pool made ahead, then give the pool a test's run
    /// time (<paramref name="testRunTime"/>, not counted) to make the next one, as a test would.
    /// </summary>
    public static async Task<FreshDatabaseTimes> TakeAsync(TemplateClonePool pool, TimeSpan testRunTime, Action<string> taken, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var name = await pool.TakeAsync(cancellationToken);
        var elapsed = clock.Elapsed;
        taken(name);
        await Task.Delay(testRunTime, cancellationToken);
        return new FreshDatabaseTimes(elapsed, TimeSpan.Zero, elapsed, TimeSpan.Zero, TimeSpan.Zero);
    }

    /// <summary>As the fixture does once per template: clones fail while anything is connected to it.</summary>
    public async Task MarkTemplateAsync(string name, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", cancellationToken);
    }

    public Task DropAsync(string name, CancellationToken cancellationToken) =>
        AdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", cancellationToken);

    /// <summary>Runs one admin command; returns how long getting the connection took.</summary>
    private async Task<TimeSpan> AdminAsync(string sql, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(pooledAdmin ? server.ConnectionString("postgres") : server.UnpooledConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        var connect = clock.Elapsed;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connect;
    }
}
