using System.Collections.Concurrent;
using System.Security.Cryptography;
using FkHarness.AppHost.Provisioning;
using Npgsql;

namespace FkHarness.Tests.Infrastructure;

/// <summary>
/// Gives each test a fresh database cloned from a template (CREATE DATABASE … TEMPLATE), so tests
/// are isolated and start in milliseconds. Templates are built once per run, on first use. If the
/// cluster cannot start, every test using the fixture fails with the reason (rather than the run
/// crashing), as Testcontainers' fixtures do.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private static readonly ConcurrentDictionary<string, Lazy<Task>> Templates = new();
    private ThrowawayCluster? cluster;
    private Exception? startError;

    public ThrowawayCluster Cluster => cluster ?? throw new InvalidOperationException(
        "The throwaway PostgreSQL cluster for the tests did not start: " + startError?.Message, startError);

    public string AdminConnectionString => Cluster.ConnectionString();

    public async Task InitializeAsync()
    {
        try
        {
            cluster = await SharedCluster.GetAsync();
        }
        catch (Exception e)
        {
            startError = e;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An empty database (from template0).</summary>
    public Task<TestDatabase> CreateEmptyDatabaseAsync() => CloneAsync("template0");

    /// <summary>
    /// A fresh copy of the template <paramref name="templateName"/>, which <paramref name="build"/>
    /// creates (given its connection string) the first time any test asks for it.
    /// </summary>
    public async Task<TestDatabase> CreateDatabaseAsync(string templateName, Func<string, Task> build)
    {
        var template = Templates.GetOrAdd(templateName, name => new Lazy<Task>(() => BuildTemplateAsync(name, build)));
        await template.Value;
        return await CloneAsync(templateName);
    }

    private async Task BuildTemplateAsync(string name, Func<string, Task> build)
    {
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\"; CREATE DATABASE \"{name}\"");
        await build(ConnectionStringFor(name));
        // Clones fail while anything is connected to the template: drop pooled connections.
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }

    private async Task<TestDatabase> CloneAsync(string template)
    {
        var name = "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await ExecuteAdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return new TestDatabase(this, name, ConnectionStringFor(name));
    }

    /// <summary>With IncludeErrorDetail: the tests assert on PostgreSQL's DETAIL, which Npgsql hides by default.</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(Cluster.ConnectionString(database)) { IncludeErrorDetail = true }.ConnectionString;

    internal async Task ExecuteAdminAsync(string sql)
    {
        // Pooling off: an idle pooled admin connection must never block a clone or a drop.
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        foreach (var statement in sql.Split("; ", StringSplitOptions.RemoveEmptyEntries))
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
