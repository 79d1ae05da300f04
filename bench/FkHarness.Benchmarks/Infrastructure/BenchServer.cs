using FkHarness.Provisioning;
using Npgsql;

namespace FkHarness.Benchmarks.Infrastructure;

/// <summary>
/// The throwaway cluster a scenario runs on (one per scenario), with the few admin operations the
/// scenarios need: create, clone (CREATE DATABASE … TEMPLATE), drop.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly ThrowawayCluster cluster;

    private BenchServer(ThrowawayCluster cluster, string version)
    {
        this.cluster = cluster;
        Version = version;
    }

    /// <summary>"15.18", from the server itself.</summary>
    public string Version { get; }

    public PostgresBinaries Binaries => cluster.Binaries;

    /// <summary>The server's log (log_min_messages = warning, plus whatever <c>settings</c> asked for).</summary>
    public string LogPath => Path.Combine(cluster.Directory, "server.log");

    public static async Task<BenchServer> StartAsync(CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = await ThrowawayCluster.StartAsync(new ThrowawayClusterOptions { Settings = settings ?? new Dictionary<string, string>() }, cancellationToken);
        try
        {
            await using var connection = new NpgsqlConnection(Unpooled(cluster.ConnectionString()));
            await connection.OpenAsync(cancellationToken);
            return new BenchServer(cluster, connection.PostgreSqlVersion.ToString());
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A pooled connection string for <paramref name="database"/>, with PostgreSQL's DETAIL kept.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(cluster.ConnectionString(database)) { IncludeErrorDetail = true, Timeout = 30 }.ConnectionString;

    /// <summary>Without pooling: a pooled idle connection would block cloning or dropping the database.</summary>
    public string UnpooledConnectionString(string database) => Unpooled(ConnectionString(database));

    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken) =>
        AdminAsync($"CREATE DATABASE \"{name}\"", cancellationToken);

    /// <summary>CREATE DATABASE … TEMPLATE: a file-level copy, the cheap way to get an identical database.</summary>
    public Task CloneAsync(string template, string name, CancellationToken cancellationToken)
    {
        // Clones fail while anything is connected to the template: pooled connections included.
        NpgsqlConnection.ClearAllPools();
        return AdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", cancellationToken);
    }

    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        return AdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", cancellationToken);
    }

    public async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(UnpooledConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await cluster.DisposeAsync();
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
