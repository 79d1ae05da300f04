using System.Diagnostics;
using FkHarness.Rehearsal.Traffic;
using Npgsql;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// One application connection inserting at a steady pace (<see cref="WritePacer"/>), recording
/// every write's latency.
/// </summary>
internal sealed class LiveWriter(int number, string connectionString, int users, LiveMigrationOptions options)
{
    private readonly List<WriteSample> samples = new(capacity: 1 << 16);

    public IReadOnlyList<WriteSample> Samples => samples;

    /// <summary>The first error other than 23503, for the report: there should be none.</summary>
    public string? FirstOtherError { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var named = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = StatementProfiler.WriterApplicationName };
        await using var connection = new NpgsqlConnection(named.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        var commands = new List<NpgsqlCommand>();
        foreach (var (_, sql) in LiveWriteTargets.All)
        {
            // No command timeout: behind the literal approach's locks a write waits as long as the
            // migration runs (a minute at scale 10 on a busy machine), and that wait is the figure.
            var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "" });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "" });
            await command.PrepareAsync(CancellationToken.None);
            commands.Add(command);
        }

        var backend = connection.ProcessID;
        var random = new Random(number);
        var pacer = new WritePacer(options.WritesPerSecond);
        for (var write = 0L; await pacer.WaitAsync(stop); write++)
        {
            var target = (byte)random.Next(LiveWriteTargets.All.Count);
            var tag = $"live_{number}_{write}";
            var orphan = target != LiveWriteTargets.UsersTarget && random.NextDouble() < options.OrphanWriteRate;
            var command = commands[target];
            ((NpgsqlParameter<string>)command.Parameters[0]).TypedValue = orphan ? $"usr_gone_{number}_{write}" : $"usr_{1 + random.Next(users)}";
            ((NpgsqlParameter<string>)command.Parameters[1]).TypedValue = tag;

            var (cpuBefore, queuedBefore) = Infrastructure.BackendCpu.Schedule(backend);
            var start = Stopwatch.GetTimestamp();
            var outcome = WriteOutcome.Committed;
            try
            {
                // Not cancellable: a write in flight finishes, so its latency is whole.
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                outcome = WriteOutcome.ForeignKeyViolation;
            }
            catch (PostgresException e)
            {
                outcome = WriteOutcome.OtherError;
                FirstOtherError ??= $"{e.SqlState}: {e.MessageText} ({LiveWriteTargets.All[target].Table})";
            }

            var end = Stopwatch.GetTimestamp();
            var (cpuAfter, queuedAfter) = Infrastructure.BackendCpu.Schedule(backend);
            samples.Add(new WriteSample(start, end - start, target, outcome, backend, (int)((cpuAfter - cpuBefore) / 1000), (int)((queuedAfter - queuedBefore) / 1000)));
            pacer.Wrote(end);
        }

        foreach (var command in commands)
        {
            await command.DisposeAsync();
        }
    }
}
