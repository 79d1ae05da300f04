using System.Diagnostics;
using Npgsql;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// Synthetic application traffic against one database, from <see cref="StartAsync"/> to
/// <see cref="StopAsync(CancellationToken)"/>: the writers, then the check that no valid write was lost, then the
/// removal of every row they added. <see cref="Abort"/> (Ctrl+C, a failed stage) stops them at
/// once and checks nothing.
/// </summary>
internal sealed class TrafficRun : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly TrafficOptions _options;
    private readonly TrafficWorld _world;
    private readonly List<SyntheticWriter> _writers;
    private readonly WriterFleet _fleet;
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly long _startTicks = Stopwatch.GetTimestamp();
    private TrafficResult? _result;
    private CancellationTokenRegistration _abortOn;
    private bool _disposed;

    private TrafficRun(string connectionString, TrafficOptions options, TrafficWorld world)
    {
        _connectionString = connectionString;
        _options = options;
        _world = world;
        var guards = new TrafficGuards();
        _writers = [.. Enumerable.Range(1, options.Writers).Select(n => new SyntheticWriter(n, world, guards, options, connectionString))];
        _fleet = new WriterFleet(_writers.Select(w => (Func<CancellationToken, CancellationToken, Task>)w.RunAsync));
    }

    public TrafficOptions Options => _options;

    public DateTimeOffset? ReadyAt { get; private set; }

    /// <summary>Writes so far (read while they run: a moment's count, for a summary line).</summary>
    public int WritesSoFar => _writers.Sum(w => w.Recorder.Samples.Count);

    /// <summary>Reads what the writers may reference and starts them; a cancellation of <paramref name="cancellationToken"/> (Ctrl+C) later stops them at once.</summary>
    public static async Task<TrafficRun> StartAsync(string connectionString, TrafficOptions options, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = TrafficOptions.ApplicationName }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var world = await TrafficWorld.ReadAsync(connection, cancellationToken);
        var run = new TrafficRun(connectionString, options, world);
        run._abortOn = cancellationToken.Register(run.Abort);
        return run;
    }

    /// <summary>Waits out the warm-up and the before-window: the writers alone, for the "before" latencies.</summary>
    public async Task BeforeWindowAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(_options.WarmUp + _options.BeforeWindow, cancellationToken);
        ReadyAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Stops the writers (each finishes its write in flight), checks that every committed valid write is there, removes their rows.</summary>
    public async Task<TrafficResult> StopAsync(CancellationToken cancellationToken) =>
        await StopAsync(beforeCheck: null, cancellationToken);

    /// <summary>The same, with <paramref name="beforeCheck"/> run between the writers' stop and the check (a test deletes a committed row there).</summary>
    internal async Task<TrafficResult> StopAsync(Func<TrafficLedger, Task>? beforeCheck, CancellationToken cancellationToken)
    {
        if (_result is not null)
        {
            return _result;
        }

        await Task.Delay(_options.AfterWindow, cancellationToken);
        await _fleet.StopAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        var ledger = TrafficLedger.Merge(_writers.Select(w => w.Ledger));
        LostWrites? lost = null;
        IReadOnlyDictionary<string, int> removed = new Dictionary<string, int>();
        string? error = null;
        try
        {
            if (beforeCheck is not null)
            {
                await beforeCheck(ledger);
            }

            lost = await LostWriteCheck.RunAsync(_connectionString, ledger, cancellationToken);
            removed = await TrafficCleanup.RunAsync(_connectionString, _world, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            error = $"The check after the writers stopped failed: {e.Message}";
        }

        return _result = Collect(stoppedAt, stoppedEarly: false, error) with { LostWrites = lost, RowsRemoved = removed };
    }

    /// <summary>Stops the writers now (their writes in flight cancelled); checks and removes nothing.</summary>
    public async Task<TrafficResult> AbortAsync()
    {
        if (_result is not null)
        {
            return _result;
        }

        _fleet.Abort();
        await _fleet.StopAsync();
        return _result = Collect(DateTimeOffset.UtcNow, stoppedEarly: true, error: null);
    }

    public void Abort() => _fleet.Abort();

    private TrafficResult Collect(DateTimeOffset stoppedAt, bool stoppedEarly, string? error)
    {
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (state, count) in _writers.SelectMany(w => w.Recorder.FailuresBySqlState))
        {
            failures[state] = failures.GetValueOrDefault(state) + count;
        }

        return new TrafficResult
        {
            Rate = _options.Rate,
            Writers = _options.Writers,
            InvalidShare = _options.InvalidShare,
            StartedAt = _startedAt,
            MeasuredFrom = _startedAt + _options.WarmUp,
            ReadyAt = ReadyAt,
            StoppedAt = stoppedAt,
            TicksPerSecond = Stopwatch.Frequency,
            StoppedEarly = stoppedEarly,
            Error = error,
            Samples = [.. _writers.SelectMany(w => w.Recorder.Samples).Select(s => s with { Start = s.Start - _startTicks }).OrderBy(s => s.Start)],
            FailuresBySqlState = failures,
            Examples = [.. _writers.SelectMany(w => w.Recorder.Examples).OrderBy(e => e.At)],
            Problems = [.. _writers.SelectMany(w => w.Recorder.Problems)],
            InvalidTried = _writers.Sum(w => w.Recorder.InvalidTried),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await AbortAsync();
        await _abortOn.DisposeAsync();
        await _fleet.DisposeAsync();
    }
}
