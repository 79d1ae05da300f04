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
    private readonly Dictionary<string, int> waits = [];
    private readonly Dictionary<int, TimeSpan> cpu = [];
    private readonly Dictionary<int, string> running = [];
    private readonly Dictionary<string, TimeSpan> cpuBySteps = [];
    private int activeSamples;
    private readonly CancellationTokenSource stop = new();
    private readonly Task polling;

    private StatementProfiler(string connectionString) => polling = Task.Run(() => PollAsync(connectionString, stop.Token));

    public static StatementProfiler Start(string connectionString) => new(connectionString);

    /// <summary>
    /// Of the polls that found the migration running a statement, how many found it waiting, by
    /// wait event ("Lock/virtualxid", "IO/DataFileRead"…); "CPU" when it was not waiting.
    /// </summary>
    public (IReadOnlyDictionary<string, int> Waits, int Samples) WaitProfile => (waits, activeSamples);

    /// <summary>
    /// Server CPU time of the migration's sessions and their parallel workers: the last /proc
    /// reading of each process seen running (a backend's whole life, connection set-up included,
    /// which is small; a worker that lived less than a poll may be missed).
    /// </summary>
    public TimeSpan ServerCpu => cpu.Values.Aggregate(TimeSpan.Zero, (sum, t) => sum + t);

    /// <summary>Stops polling; returns each statement seen (its session, its text, when it ran by the server's clock).</summary>
    public async Task<IReadOnlyList<ProfiledStatement>> StopAsync()
    {
        await stop.CancelAsync();
        await polling;
        return statements.OrderBy(s => s.Key.Start).Select(s => new ProfiledStatement(s.Key.Pid, s.Value.Query, s.Key.Start, s.Value.End)).ToList();
    }

    private async Task PollAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("""
            SELECT pid, query_start, query, state, state_change, clock_timestamp(),
                   coalesce(wait_event_type || '/' || wait_event, 'CPU'), backend_type = 'parallel worker',
                   coalesce(leader_pid, pid)
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND backend_type IN ('client backend', 'parallel worker')
              AND coalesce(application_name, '') <> $1 AND query_start IS NOT NULL
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
                    if (reader.GetBoolean(7))
                    {
                        // A parallel worker (an index build's, a scan's): its CPU counts, its statement is its leader's.
                        Account(key.Item1, Infrastructure.BackendCpu.Read(key.Item1), reader.GetInt32(8));
                        continue;
                    }

                    var active = reader.GetString(3) == "active";
                    var end = active ? reader.GetDateTime(5) : reader.GetDateTime(4);
                    statements[key] = (reader.GetString(2), end);
                    if (active)
                    {
                        var used = Infrastructure.BackendCpu.Read(key.Item1);
                        if (used > TimeSpan.Zero)
                        {
                            running[key.Item1] = MigrationStep.Of(reader.GetString(2));
                            Account(key.Item1, used, key.Item1);
                        }

                        var wait = reader.GetString(6);
                        waits[wait] = waits.GetValueOrDefault(wait) + 1;
                        activeSamples++;
                    }
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

    /// <summary>
    /// Server CPU per step (see <see cref="MigrationStep"/>): each poll's growth of a session's (or
    /// its parallel workers') CPU, credited to the step its session was running at that poll.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> CpuBySteps => cpuBySteps;

    private void Account(int pid, TimeSpan used, int leader)
    {
        if (used <= TimeSpan.Zero)
        {
            return;
        }

        var grown = used - cpu.GetValueOrDefault(pid);
        cpu[pid] = used;
        if (running.TryGetValue(leader, out var step))
        {
            cpuBySteps[step] = cpuBySteps.GetValueOrDefault(step) + grown;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await polling;
        stop.Dispose();
    }
}
