using FkHarness.Catalog;
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

    public Task<TeardownResult> TearDownAsync(bool keep, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        var builder = FkdbConnectionString.Parse(connectionString);
        if (!keep)
        {
            return Task.FromResult(new TeardownResult("fkdb left to the AppHost, which removes it when it stops"));
        }

        return Task.FromResult(new TeardownResult($"fkdb kept running on {builder.Host}:{builder.Port} until the AppHost stops (Ctrl+C)", new KeptDatabase
        {
            Host = builder.Host ?? "localhost",
            Port = builder.Port,
            Database = builder.Database ?? FkdbConnectionString.Name,
            Username = builder.Username ?? "",
            PasswordSource = builder.Passfile is { } passfile ? $"in {passfile} (PGPASSFILE format, mode 0600)" : "the one in your --connection-string (or ConnectionStrings__fkdb)",
            PasswordFile = builder.Passfile,
            RemoveCommand = "Ctrl+C in the AppHost's terminal: it stops the server and removes its folder",
        }));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
