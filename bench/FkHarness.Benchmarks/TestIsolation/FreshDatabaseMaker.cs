using System.Diagnostics;
using FkHarness.Benchmarks.Infrastructure;
using FkHarness.Seeder;
using Npgsql;

namespace FkHarness.Benchmarks.TestIsolation;

/// <summary>
/// Makes a test database the two ways the test fixture could, exactly as it does them: a fresh
/// unpooled admin connection per command (PostgresFixture.ExecuteAdminAsync), psql -f for the
/// baseline (BaselineTemplate), the seeder in-process at the tests' scale (SeededTemplate).
/// </summary>
internal sealed class FreshDatabaseMaker(BenchServer server)
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
        await AdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", cancellationToken);
        return new FreshDatabaseTimes(clock.Elapsed, clock.Elapsed, TimeSpan.Zero, TimeSpan.Zero);
    }

    public async Task<FreshDatabaseTimes> BuildAsync(string name, bool seed, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await AdminAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
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

        return new FreshDatabaseTimes(clock.Elapsed, created, schema, clock.Elapsed - created - schema);
    }

    /// <summary>As the fixture does once per template: clones fail while anything is connected to it.</summary>
    public async Task MarkTemplateAsync(string name, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", cancellationToken);
    }

    public Task DropAsync(string name, CancellationToken cancellationToken) =>
        AdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", cancellationToken);

    private async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(server.UnpooledConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
