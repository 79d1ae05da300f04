using System.Diagnostics;
using FkHarness.Catalog;
using Npgsql;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>One variant on one fresh copy: writers alone, then writers while the migration runs, then a moment after.</summary>
internal sealed class LiveRun(LiveMigrationOptions options)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(1);

    public async Task<VariantRun> RunAsync(MigrationVariant variant, int repetition, string connectionString, CancellationToken cancellationToken)
    {
        await using var fleet = WriterFleet.Start(connectionString, options.Users, options);
        await Task.Delay(WarmUp, cancellationToken);
        var beforeStart = Stopwatch.GetTimestamp();
        await Task.Delay(options.Before, cancellationToken);

        var migrationStart = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.MigrationTimeout);
        await using var profiler = StatementProfiler.Start(connectionString);
        var attempt = await MigrationApplier.ApplyAsync(variant, connectionString, timeout.Token);
        var migrationEnd = Stopwatch.GetTimestamp();
        var statements = await profiler.StopAsync();

        await Task.Delay(After, cancellationToken);
        var log = await fleet.StopAsync();
        var (validated, orphans) = await StateAsync(connectionString, cancellationToken);

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
            WritesBefore = before.Length,
            WritesDuring = during.Length,
            ForeignKeyViolations = log.Count(WriteOutcome.ForeignKeyViolation, migrationStart, long.MaxValue),
            OtherErrors = log.Count(WriteOutcome.OtherError, beforeStart, long.MaxValue),
            FirstOtherError = log.FirstOtherError,
            ValidatedForeignKeys = validated,
            OrphansLeft = orphans,
            ServerCpu = profiler.ServerCpu,
            WaitShares = profiler.WaitProfile.Waits.ToDictionary(w => w.Key, w => (double)w.Value / Math.Max(1, profiler.WaitProfile.Samples)),
            Steps = statements.GroupBy(s => MigrationStep.Of(s.Query)).ToDictionary(g => g.Key, g => g.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration)),
        };
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
