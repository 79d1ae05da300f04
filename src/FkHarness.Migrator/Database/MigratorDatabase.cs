using FkHarness.Catalog;
using FkHarness.Migrator.Steps;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FkHarness.Migrator.Database;

/// <summary>
/// The database a run works on: opens migrator connections (see <see cref="MigratorConnectionString"/>),
/// forwards the server's NOTICEs (the scripts report what they cleaned up that way) to the log,
/// and can end a session that a cancelled run left running.
/// </summary>
internal sealed class MigratorDatabase : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _dataSource;

    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    public MigratorDatabase(string connectionString, ILogger logger)
    {
        _logger = logger;
        ConnectionString = MigratorConnectionString.Prepare(connectionString);
        Description = FkdbConnectionString.Describe(ConnectionString);
        _dataSource = CreateDataSource();
    }

    /// <summary>The prepared connection string. Holds the password: never log it.</summary>
    public string ConnectionString { get; }

    /// <summary>"host:port/database as user", for messages.</summary>
    public string Description { get; }

    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        ForwardNotices(connection);
        return connection;
    }

    /// <summary>A separate data source with the same settings, for a DbUp engine to open its own session.</summary>
    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    /// <summary>
    /// Logs the server's NOTICEs (RAISE NOTICE, "does not exist, skipping") as psql would show them;
    /// DEBUG and LOG messages (a script session asks for them, for its steps' announcements) only at
    /// debug level, the announcements not at all (they become spans and lock holds).
    /// </summary>
    public void ForwardNotices(NpgsqlConnection connection) =>
        connection.Notice += (_, e) =>
        {
            if (StepAnnouncement.IsAnnouncement(e.Notice))
            {
                return;
            }

            var level = e.Notice.InvariantSeverity is "DEBUG" or "LOG" ? LogLevel.Debug : LogLevel.Information;
            _logger.Log(level, "{Severity}: {Notice}", e.Notice.Severity, e.Notice.MessageText);
        };

    /// <summary>Ends a session (rolling back whatever it had open); used when a run is cancelled mid-script.</summary>
    public async Task TerminateAsync(int processId)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand("SELECT pg_terminate_backend($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = processId });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            // Asked for: information, not a warning.
            _logger.LogInformation("Cancelled: ended the migrator session (pid {Pid}); its open transaction was rolled back", processId);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CannotConnectNow)
        {
            // 57P03: the server is shutting down (on a terminal, Ctrl+C reaches it too), which ends the session as well.
            _logger.LogDebug("Cancelled while the server shuts down, which ends the migrator session (pid {Pid}) too: {Message}", processId, e.MessageText);
        }
        catch (NpgsqlException e)
        {
            _logger.LogWarning("Cancelled, but could not end the migrator session (pid {Pid}): {Message}", processId, e.Message);
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
