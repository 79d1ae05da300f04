using System.Collections.Concurrent;
using FkHarness.Provisioning;
using Npgsql;

namespace FkHarness.Tests.Infrastructure;

/// <summary>
/// Gives each test a fresh database cloned from a template (CREATE DATABASE … TEMPLATE), so tests
/// are isolated and start in milliseconds. Templates are built once per run, on first use; their
/// clones are made one ahead of the tests that take them (<see cref="TemplateClonePool"/>), so a
/// test does not wait for the copy. If the cluster cannot start, every test using the fixture
/// fails with the reason (rather than the run crashing), as Testcontainers' fixtures do.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<TemplateClonePool>>> Templates = new();
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
    public async Task<TestDatabase> CreateEmptyDatabaseAsync()
    {
        var pool = Templates.GetOrAdd("template0", name => new Lazy<Task<TemplateClonePool>>(() => Task.FromResult(PoolFor(name))));
        return Fresh(await (await pool.Value).TakeAsync());
    }

    /// <summary>
    /// A fresh copy of the template <paramref name="templateName"/>, which <paramref name="build"/>
    /// creates (given its connection string) the first time any test asks for it.
    /// </summary>
    public async Task<TestDatabase> CreateDatabaseAsync(string templateName, Func<string, Task> build)
    {
        var template = Templates.GetOrAdd(templateName, name => new Lazy<Task<TemplateClonePool>>(() => BuildTemplateAsync(name, build)));
        return Fresh(await (await template.Value).TakeAsync());
    }

    private async Task<TemplateClonePool> BuildTemplateAsync(string name, Func<string, Task> build)
    {
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\"; CREATE DATABASE \"{name}\"");
        await build(ConnectionStringFor(name));
        // Clones fail while anything is connected to the template: drop pooled connections.
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
        return PoolFor(name);
    }

    private TemplateClonePool PoolFor(string template) => new(AdminConnectionString, template);

    private TestDatabase Fresh(string name) => new(this, name, ConnectionStringFor(name));

    /// <summary>With IncludeErrorDetail: the tests assert on PostgreSQL's DETAIL, which Npgsql hides by default.</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(Cluster.ConnectionString(database)) { IncludeErrorDetail = true }.ConnectionString;

    internal async Task ExecuteAdminAsync(string sql)
    {
        // Pooled: admin connections go to the postgres database, which is never cloned or dropped,
        // so an idle one blocks no clone and no drop (connections to a template or a test database
        // would); a new connection per command (TCP, SCRAM) cost as much as a small clone.
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        foreach (var statement in sql.Split("; ", StringSplitOptions.RemoveEmptyEntries))
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
