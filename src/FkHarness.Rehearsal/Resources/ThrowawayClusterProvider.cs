using FkHarness.Rehearsal.Pipeline;
using FkHarness.Provisioning;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FkHarness.Rehearsal.Resources;

/// <summary>
/// The default provider: a PostgreSQL cluster of this run's own (initdb in a temp folder, loopback,
/// generated password), holding one database named <c>fkdb</c>, like Aspire's
/// <c>AddPostgres(...).AddDatabase("fkdb")</c>.
/// </summary>
internal sealed class ThrowawayClusterProvider(ThrowawayClusterOptions options, ILogger<ThrowawayClusterProvider> logger) : IDatabaseProvider
{
    private ThrowawayCluster? cluster;

    public string Kind => "throwaway cluster";

    public async Task<RehearsalDatabase> ProvisionAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            cluster = await ThrowawayCluster.StartAsync(options, cancellationToken);
        }
        catch (ProvisioningException e)
        {
            throw new StageFailedException(e.Message, FailureKind.InvalidInput);
        }

        logger.LogInformation("Throwaway cluster up on 127.0.0.1:{Port} in {Directory}", cluster.Port, cluster.Directory);
        var admin = new NpgsqlConnectionStringBuilder(cluster.ConnectionString()) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{RehearsalDatabase.ResourceName}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new RehearsalDatabase { ConnectionString = cluster.ConnectionString(RehearsalDatabase.ResourceName), Provider = Kind };
    }

    public async Task<TeardownResult> TearDownAsync(bool keep, CancellationToken cancellationToken)
    {
        if (cluster is null)
        {
            return new TeardownResult("nothing to tear down (no cluster was started)");
        }

        if (keep)
        {
            cluster.Keep();
            return new TeardownResult($"cluster kept running on 127.0.0.1:{cluster.Port}", await DescribeKeptAsync(cluster, cancellationToken));
        }

        // Pooled idle sessions would only slow the server's shutdown.
        NpgsqlConnection.ClearAllPools();
        await cluster.DisposeAsync();
        var directory = cluster.Directory;
        cluster = null;
        return new TeardownResult($"cluster stopped, {directory} removed");
    }

    private static async Task<KeptDatabase> DescribeKeptAsync(ThrowawayCluster kept, CancellationToken cancellationToken)
    {
        var database = RehearsalDatabase.ResourceName;
        var passwordFile = Path.Combine(kept.Directory, "pgpass");
        var environmentFile = Path.Combine(kept.Directory, "fkdb.env");
        await OwnerOnlyFile.WriteAsync(passwordFile, $"127.0.0.1:{kept.Port}:*:{ThrowawayCluster.SuperUser}:{kept.Password}\n", cancellationToken);
        await OwnerOnlyFile.WriteAsync(environmentFile, $"ConnectionStrings__fkdb='{kept.ConnectionString(database)}'\n", cancellationToken);

        var switchUser = ServerProcessUser.For("postgres").SwitchTo;
        var pgCtl = $"{kept.Binaries.PgCtl} -D {Path.Combine(kept.Directory, "data")} stop -m fast";
        return new KeptDatabase
        {
            Host = "127.0.0.1",
            Port = kept.Port,
            Database = database,
            Username = ThrowawayCluster.SuperUser,
            PasswordSource = $"in {passwordFile} (PGPASSFILE format, mode 0600)",
            PasswordFile = passwordFile,
            EnvironmentFile = environmentFile,
            RemoveCommand = (switchUser is null ? pgCtl : $"runuser -u {switchUser} -- {pgCtl}") + $" && rm -rf {kept.Directory}",
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null && !cluster.IsKept)
        {
            NpgsqlConnection.ClearAllPools();
            await cluster.DisposeAsync();
        }
    }
}
