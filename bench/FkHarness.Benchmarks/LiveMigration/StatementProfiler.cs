using System.Diagnostics;
using Npgsql;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// Where a migration spends its time, without touching the migration: polls pg_stat_activity
/// every few milliseconds for the database's sessions other than the writers, and times each
/// top-level statement from its query_start to its end (the next statement's start, or the
/// session going idle). Statements shorter than the poll interval may be missed; their time is
/// small by definition.
/// </summary>
internal sealed class StatementProfiler : IAsyncDisposable
{
    public const string WriterApplicationName = "fkharness-bench-writer";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private readonly Dictionary<(int Pid, DateTime Start), (string Query, DateTime End)> statements = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task polling;

    private StatementProfiler(string connectionString) => polling = Task.Run(() => PollAsync(connectionString, stop.Token));

    public static StatementProfiler Start(string connectionString) => new(connectionString);

    /// <summary>Stops polling; returns each statement seen (its text, its duration).</summary>
    public async Task<IReadOnlyList<(string Query, TimeSpan Duration)>> StopAsync()
    {
        await stop.CancelAsync();
        await polling;
        return statements.OrderBy(s => s.Key.Start).Select(s => (s.Value.Query, s.Value.End - s.Key.Start)).ToList();
    }

    private async Task PollAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("""
            SELECT pid, query_start, query, state, state_change, clock_timestamp()
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
              AND application_name <> $1 AND query_start IS NOT NULL
            """, connection);
        command.Parameters.AddWithValue(WriterApplicationName);
        await command.PrepareAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        while (!cancellationToken.IsCancellationRequested)
        {
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    var key = (reader.GetInt32(0), reader.GetDateTime(1));
                    var active = reader.GetString(3) == "active";
                    var end = active ? reader.GetDateTime(5) : reader.GetDateTime(4);
                    statements[key] = (reader.GetString(2), end);
                }
            }

            try
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await polling;
        stop.Dispose();
    }
}
