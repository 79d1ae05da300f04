using FkHarness.Rehearsal.Pipeline;
using FkHarness.Catalog;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FkHarness.Rehearsal.Resources;

/// <summary>
/// Rehearses on a server someone already runs (--connection-string or ConnectionStrings__fkdb):
/// creates a fresh database named fkharness_rehearsal_&lt;run id&gt; there, and drops it at the
/// end. It never writes into the database the connection string names, and never drops anything
/// it did not create.
/// </summary>
internal sealed class ExistingServerProvider(string connectionString, ILogger<ExistingServerProvider> logger) : IDatabaseProvider
{
    private string? created;

    public string Kind => "existing server";

    public async Task<RehearsalDatabase> ProvisionAsync(string runId, CancellationToken cancellationToken)
    {
        var name = RehearsalDatabaseName.For(runId);
        await ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        created = name;
        logger.LogInformation("Created database {Database} on {Server}", name, FkdbConnectionString.Describe(connectionString));
        var rehearsal = new NpgsqlConnectionStringBuilder(connectionString) { Database = name };
        return new RehearsalDatabase { ConnectionString = rehearsal.ConnectionString, Provider = Kind };
    }

    /// <summary>The database an earlier step made (its name comes from the run id): this step drops it if it ends the rehearsal.</summary>
    public Task<RehearsalDatabase> ReattachAsync(string runId, CancellationToken cancellationToken)
    {
        created = RehearsalDatabaseName.For(runId);
        var rehearsal = new NpgsqlConnectionStringBuilder(connectionString) { Database = created };
        return Task.FromResult(new RehearsalDatabase { ConnectionString = rehearsal.ConnectionString, Provider = Kind });
    }

    public void HandOver() => created = null;

    public async Task<TeardownResult> TearDownAsync(bool keep, CancellationToken cancellationToken)
    {
        if (created is null)
        {
            return new TeardownResult("nothing to tear down (no database was created)");
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (keep)
        {
            return new TeardownResult($"database {created} kept on {builder.Host}:{builder.Port}", new KeptDatabase
            {
                Host = builder.Host ?? "localhost",
                Port = builder.Port,
                Database = created,
                Username = builder.Username ?? "",
                PasswordSource = "the one in your --connection-string (or ConnectionStrings__fkdb)",
                RemoveCommand = $"psql -h {builder.Host} -p {builder.Port} -U {builder.Username} -d postgres -c 'DROP DATABASE \"{created}\" WITH (FORCE)'",
            });
        }

        var name = created;
        await DropAsync(cancellationToken);
        return new TeardownResult($"database {name} dropped");
    }

    private async Task DropAsync(CancellationToken cancellationToken)
    {
        // Our own pooled sessions would hold the database open; FORCE ends any others (PostgreSQL 13+).
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{created}\" WITH (FORCE)", cancellationToken);
        logger.LogInformation("Dropped database {Database}", created);
        created = null;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder admin;
        try
        {
            admin = FkdbConnectionString.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new StageFailedException(SecretRedactor.Redact(e.Message), FailureKind.InvalidInput);
        }

        admin.Database ??= "postgres";
        admin.Pooling = false;
        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw ServerConnectionError.Describe(e, admin.ConnectionString);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (created is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await DropAsync(timeout.Token);
        }
        catch (Exception e) when (e is StageFailedException or OperationCanceledException)
        {
            logger.LogWarning("Could not drop the rehearsal database {Database}: {Reason}. Drop it by hand.", created, e.Message);
        }
    }
}
