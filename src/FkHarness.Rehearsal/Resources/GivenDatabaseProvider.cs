using FkHarness.Catalog;
using FkHarness.Provisioning;
using Npgsql;

namespace FkHarness.Rehearsal.Resources;

/// <summary>
/// The database someone made for this rehearsal (--use-fkdb: the AppHost's resource <c>fkdb</c>,
/// from a local server, a container or a fresh database on an existing one): used as it is.
/// Whoever made it removes it, so teardown only lets go of the connections.
/// </summary>
internal sealed class GivenDatabaseProvider(string connectionString) : IDatabaseProvider
{
    public string Kind => "the AppHost's fkdb";

    public Task<RehearsalDatabase> ProvisionAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult(new RehearsalDatabase { ConnectionString = connectionString, Provider = Kind });

    public Task<RehearsalDatabase> ReattachAsync(string runId, CancellationToken cancellationToken) => ProvisionAsync(runId, cancellationToken);

    public async Task<TeardownResult> TearDownAsync(bool keep, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        var builder = FkdbConnectionString.Parse(connectionString);
        if (!keep)
        {
            return new TeardownResult("fkdb left to the AppHost, which removes it when it stops");
        }

        // For the migrator by hand: the connection string names the password file, not the password.
        string? environmentFile = null;
        if (builder.Passfile is { } passwordFile && Path.GetDirectoryName(passwordFile) is { } folder)
        {
            environmentFile = Path.Combine(folder, "fkdb.env");
            await OwnerOnlyFile.WriteAsync(environmentFile, $"ConnectionStrings__fkdb='{connectionString}'\n", cancellationToken);
        }

        return new TeardownResult($"fkdb kept running on {builder.Host}:{builder.Port} until the AppHost stops (Ctrl+C)", new KeptDatabase
        {
            Host = builder.Host ?? "localhost",
            Port = builder.Port,
            Database = builder.Database ?? FkdbConnectionString.Name,
            Username = builder.Username ?? "",
            PasswordSource = builder.Passfile is { } passfile ? $"in {passfile} (PGPASSFILE format, mode 0600)" : "the one in your --connection-string (or ConnectionStrings__fkdb)",
            PasswordFile = builder.Passfile,
            EnvironmentFile = environmentFile,
            RemoveCommand = "Ctrl+C in the AppHost's terminal: it stops the server and removes its folder",
        });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
