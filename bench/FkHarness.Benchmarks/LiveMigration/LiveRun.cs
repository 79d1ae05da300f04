using System.Diagnostics;
using FkHarness.Catalog;
using FkHarness.Rehearsal.Traffic;
using Npgsql;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>One variant on one fresh copy: writers alone, then writers while the migration runs, then a moment after.</summary>
internal sealed class LiveRun(LiveMigrationOptions options, string serverLog)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(1);

    public async Task<VariantRun> RunAsync(MigrationVariant variant, int repetition, string connectionString, CancellationToken cancellationToken)
    {
        await using var fleet = LiveWriterFleet.Start(connectionString, options.Users, options);
        await Task.Delay(WarmUp, cancellationToken);
        var beforeStart = Stopwatch.GetTimestamp();
        await Task.Delay(options.Before, cancellationToken);

        var writerPids = await WriterPidsAsync(connectionString, cancellationToken);
        var logMark = LockWaitLog.Mark(serverLog);
        var migrationStart = Stopwatch.GetTimestamp();
        var migrationStartUtc = DateTime.UtcNow;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.MigrationTimeout);
        await using var profiler = StatementProfiler.Start(connectionString);
        var attempt = await MigrationApplier.ApplyAsync(variant, connectionString, timeout.Token);
        var migrationEnd = Stopwatch.GetTimestamp();
        var statements = await profiler.StopAsync();

        await Task.Delay(After, cancellationToken);
        var log = await fleet.StopAsync();
        var (validated, orphans) = await StateAsync(connectionString, cancellationToken);
        var lockWaits = LockWaitLog.ReadSince(serverLog, logMark);
        var relations = await RelationNamesAsync(connectionString, lockWaits, cancellationToken);
        var slowWrites = SlowWriteLog.ReadSince(serverLog, logMark);

        var before = log.LatenciesStartedIn(beforeStart, migrationStart);
        var during = log.LatenciesStartedIn(migrationStart, migrationEnd);
        return new VariantRun
        {
            Variant = variant,
            Repetition = repetition,
            Attempt = attempt,
            P50Before = Infrastructure.Stats.PercentileOfSorted(before, 50),
            P99Before = WriterLog.P99(before),
            P50During = Infrastructure.Stats.PercentileOfSorted(during, 50),
            P99During = WriterLog.P99(during),
            LongestStall = log.LongestOverlapping(migrationStart, migrationEnd),
            LongestBefore = before.DefaultIfEmpty(0).Max(),
            LongestStalls = log.Samples.Where(w => w.Start < migrationEnd && w.End > migrationStart)
                .OrderByDescending(w => w.Duration).Take(5)
                .Select(w => Stalled(w, migrationStartUtc + TimeSpan.FromSeconds((w.Start - migrationStart) / (double)Stopwatch.Frequency), statements, slowWrites))
                .ToList(),
            WritesBefore = before.Length,
            WritesDuring = during.Length,
            ForeignKeyViolations = log.Count(WriteOutcome.ForeignKeyViolation, migrationStart, long.MaxValue),
            OtherErrors = log.Count(WriteOutcome.OtherError, beforeStart, long.MaxValue),
            FirstOtherError = log.FirstOtherError,
            ValidatedForeignKeys = validated,
            OrphansLeft = orphans,
            ServerCpu = profiler.ServerCpu,
            CpuBySteps = profiler.CpuBySteps.ToDictionary(),
            WaitShares = profiler.WaitProfile.Waits.ToDictionary(w => w.Key, w => (double)w.Value / Math.Max(1, profiler.WaitProfile.Samples)),
            Steps = statements.GroupBy(s => MigrationStep.Of(s.Query)).ToDictionary(g => g.Key, g => g.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration)),
            LockWaits = lockWaits.Select(w => Attributed(w, writerPids, statements, relations)).ToList(),
        };
    }

    /// <summary>One of the longest writes, with what the migration was running when it started.</summary>
    private static StalledWrite Stalled(WriteSample write, DateTime startUtc, IReadOnlyList<ProfiledStatement> statements, IReadOnlyList<(int Pid, DateTime End, double Milliseconds)> slowWrites)
    {
        // The server's log line for this write, if it was slow there too: its backend's, ending within the write (clocks to a few ms).
        var duration = TimeSpan.FromMilliseconds(WriterLog.Milliseconds(write.Duration));
        var server = slowWrites.Where(s => s.Pid == write.Backend && s.End >= startUtc - TimeSpan.FromMilliseconds(5) && s.End <= startUtc + duration + TimeSpan.FromMilliseconds(5))
            .Select(s => (double?)s.Milliseconds).FirstOrDefault();
        var running = statements.Where(s => s.Start <= startUtc && s.End >= startUtc).Select(s => MigrationStep.Of(s.Query)).Distinct().ToList();
        return new StalledWrite(WriterLog.Milliseconds(write.Duration), LiveWriteTargets.All[write.Target].Table, running.Count == 0 ? "between statements" : string.Join(" + ", running),
            write.BackendOnCpuMicroseconds / 1000.0, write.BackendQueuedMicroseconds / 1000.0, server);
    }

    /// <summary>A logged lock wait, with its waiter and holders named (a writer, or the migration's statement then running).</summary>
    private static AttributedLockWait Attributed(LockWait wait, IReadOnlySet<int> writerPids, IReadOnlyList<ProfiledStatement> statements, IReadOnlyDictionary<string, string> relations)
    {
        string Who(int pid)
        {
            if (writerPids.Contains(pid))
            {
                return "writer";
            }

            var running = statements.LastOrDefault(s => s.Pid == pid && s.Start <= wait.Start && s.End >= wait.Start)
                ?? statements.LastOrDefault(s => s.Pid == pid && s.Start <= wait.Start);
            return running is null ? $"other session {pid}" : $"migration: {MigrationStep.Of(running.Query)}";
        }

        var lockObject = relations.TryGetValue(wait.Object, out var name) ? name : wait.Object;
        return new AttributedLockWait(wait, Who(wait.WaiterPid), lockObject, wait.Holders.Select(Who).Distinct().ToList(), wait.Queue.Count(writerPids.Contains));
    }

    /// <summary>"relation 16402 of database 16384" → "users", for the relations the waits name.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> RelationNamesAsync(string connectionString, IReadOnlyList<LockWait> waits, CancellationToken cancellationToken)
    {
        var named = new Dictionary<string, string>();
        var oids = waits.Select(w => w.Object).Where(o => o.StartsWith("relation ", StringComparison.Ordinal)).Distinct().ToList();
        if (oids.Count == 0)
        {
            return named;
        }

        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var lockObject in oids)
        {
            var oid = uint.Parse(lockObject.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            await using var command = new NpgsqlCommand("SELECT relname::text FROM pg_class WHERE oid = $1", connection);
            command.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
            if (await command.ExecuteScalarAsync(cancellationToken) is string relation)
            {
                named[lockObject] = $"relation {relation}";
            }
        }

        return named;
    }

    private static async Task<IReadOnlySet<int>> WriterPidsAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE application_name = $1", connection);
        command.Parameters.AddWithValue(StatementProfiler.WriterApplicationName);
        var pids = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }

    /// <summary>How many of the nine FKs exist validated, and how many orphans the nine columns still hold.</summary>
    private static async Task<(int Validated, long Orphans)> StateAsync(string connectionString, CancellationToken cancellationToken)
    {
        var findings = ForeignKeyCatalog.LoadEmbedded().TextForeignKeys.ToList();
        var names = string.Join(", ", findings.Select(f => $"'{f.ConstraintName}'"));
        var orphans = string.Join(" + ", findings.Select(f =>
            $"(SELECT count(*) FROM {f.SourceTable} AS t WHERE t.{f.SourceColumn} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users AS u WHERE u.user_id = t.{f.SourceColumn}))"));
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated AND conname IN ({names}))::int, {orphans}", connection)
        { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt64(1));
    }
}
