namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>One migration run under live writers, reduced to the figures scenario 2 reports.</summary>
internal sealed record VariantRun
{
    public required MigrationVariant Variant { get; init; }

    public required int Repetition { get; init; }

    public required MigrationAttempt Attempt { get; init; }

    /// <summary>Writer latencies (ms) of writes started before the migration, and during it.</summary>
    public required double P50Before { get; init; }

    public required double P99Before { get; init; }

    public required double P50During { get; init; }

    public required double P99During { get; init; }

    /// <summary>The longest single write in flight while the migration ran (ms).</summary>
    public required double LongestStall { get; init; }

    /// <summary>The longest single write before the migration started (ms): the machine's own noise.</summary>
    public required double LongestBefore { get; init; }

    /// <summary>The longest writes in flight while the migration ran, longest first, with the step then running.</summary>
    public required IReadOnlyList<StalledWrite> LongestStalls { get; init; }

    public required int WritesBefore { get; init; }

    public required int WritesDuring { get; init; }

    /// <summary>Writes refused with 23503 from the migration's start to the end of the run.</summary>
    public required int ForeignKeyViolations { get; init; }

    public required int OtherErrors { get; init; }

    public string? FirstOtherError { get; init; }

    /// <summary>FKs present and validated afterwards (9 when the run completed).</summary>
    public required int ValidatedForeignKeys { get; init; }

    /// <summary>Orphans left in the nine columns afterwards (0 when the run completed).</summary>
    public required long OrphansLeft { get; init; }

    /// <summary>Time per step of the migration (see <see cref="MigrationStep"/>), from pg_stat_activity.</summary>
    public required IReadOnlyDictionary<string, TimeSpan> Steps { get; init; }

    /// <summary>Server CPU time the migration's own sessions used (from /proc).</summary>
    public required TimeSpan ServerCpu { get; init; }

    /// <summary>Server CPU per step: the work of each, whatever else the machine was doing.</summary>
    public required IReadOnlyDictionary<string, TimeSpan> CpuBySteps { get; init; }

    /// <summary>Share of the polls that found the migration waiting, by wait event ("CPU": not waiting).</summary>
    public required IReadOnlyDictionary<string, double> WaitShares { get; init; }

    /// <summary>Lock waits over a millisecond the server logged while the migration ran (the server's log_lock_waits).</summary>
    public required IReadOnlyList<AttributedLockWait> LockWaits { get; init; }
}
