using System.Diagnostics;
using FkHarness.Migrator.Database;
using FkHarness.Migrator.Sql;
using FkHarness.Migrator.Steps;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FkHarness.Migrator.LockHolds;

/// <summary>
/// Measures which table locks each step of one script run holds, and for how long, without
/// changing the script. Between the script's own BEGIN and COMMIT, its session reads its own locks
/// after each statement: exact to the statement. A statement that commits by itself (CALL, DO,
/// a lone ALTER) is watched from a side session that reads pg_locks for the script's session every
/// <c>interval</c> while it runs; a step inside it shorter than that may go unseen. CREATE INDEX
/// CONCURRENTLY holds SHARE UPDATE EXCLUSIVE on its table for exactly the statement's duration.
/// A step a procedure announces (<see cref="Steps.StepAnnouncement"/>: each NOT VALID, cleanup
/// batch and VALIDATE of 025) names the locks its transaction held itself, however short it was:
/// those holds replace what sampling saw of them.
/// </summary>
internal sealed class LockHoldRecorder : IAsyncDisposable
{
    private readonly string _script;
    private readonly IReadOnlyList<SqlStatement> _statements;
    private readonly TimeSpan _interval;
    private readonly NpgsqlConnection _side;
    private readonly ILogger _logger;
    private readonly RunClock _clock;
    private readonly List<StatementSpan> _spans = [];
    private readonly List<LockSample> _samples = [];
    private readonly Dictionary<(string Table, string Mode), StatementSpan> _openInBlock = [];
    private readonly List<LockHold> _holds = [];
    private readonly CancellationTokenSource _stop = new();
    private NpgsqlConnection? _session;
    private StatementSpan? _sampling;
    private bool _inBlock;
    private Task _loop = Task.CompletedTask;

    private LockHoldRecorder(string script, string contents, TimeSpan interval, NpgsqlConnection side, RunClock clock, ILogger logger)
    {
        _clock = clock;
        _script = script;
        _statements = PsqlStatementSplitter.SplitWithLines(contents);
        _interval = interval;
        _side = side;
        _logger = logger;
    }

    public const string SamplerApplicationName = "fkharness-migrator-locks";

    public static async Task<LockHoldRecorder> StartAsync(
        MigratorDatabase database, string script, string contents, TimeSpan interval, RunClock clock, ILogger logger, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = SamplerApplicationName };
        var side = new NpgsqlConnection(builder.ConnectionString);
        await side.OpenAsync(cancellationToken);
        return new LockHoldRecorder(script, contents, interval, side, clock, logger);
    }

    /// <summary>The script's session is known (DbUp opened it): start watching it.</summary>
    public void Attach(NpgsqlConnection session)
    {
        _session = session;
        var pid = session.ProcessID;
        _loop = Task.Run(() => SampleAsync(pid, _stop.Token));
    }

    public void StatementStarting(int index)
    {
        var (line, text) = index < _statements.Count ? (_statements[index].Line, _statements[index].Text) : (0, "");
        var kind = StatementHead.KindOf(text);
        var span = new StatementSpan(index, line, StatementHead.Label(text), kind, _inBlock || kind == StatementKind.BeginsBlock, Now())
        {
            IndexBuildTable = StatementHead.ConcurrentIndexTable(text),
        };
        lock (_spans)
        {
            _spans.Add(span);
        }

        if (!span.InBlock)
        {
            Volatile.Write(ref _sampling, span);
        }
    }

    public void StatementFinished(int index, bool succeeded)
    {
        Volatile.Write(ref _sampling, null);
        StatementSpan span;
        lock (_spans)
        {
            span = _spans.Last(s => s.Index == index);
        }

        span.End = Now();
        if (!span.InBlock)
        {
            return;
        }

        if (!succeeded || span.Kind == StatementKind.EndsBlock)
        {
            CloseBlock(span.End.Value);
        }
        else if (span.Kind == StatementKind.BeginsBlock)
        {
            _inBlock = true;
        }
        else
        {
            ReadOwnLocks(span);
        }
    }

    /// <summary>Stops the sampling; returns every hold seen and every hold <paramref name="announced"/>, in the order taken.</summary>
    public async Task<IReadOnlyList<LockHold>> FinishAsync(IReadOnlyList<LockHold> announced)
    {
        await _stop.CancelAsync();
        await _loop;
        CloseBlock(Now());
        foreach (var span in _spans.Where(s => !s.InBlock))
        {
            if (span.IndexBuildTable is { } table)
            {
                // Known to the statement: exact, however short the build.
                _holds.Add(Hold(span, table, "ShareUpdateExclusiveLock", span.Start, span.End ?? span.Start, sampled: false));
                continue;
            }

            foreach (var (from, heldLock, start, end) in SampledHolds.Of(span, _samples.Where(s => s.Statement == span.Index)))
            {
                var hold = Hold(from, heldLock.Table, heldLock.Mode, start, end, sampled: true);
                // A step that announced its locks is exact: what sampling saw of it goes.
                if (!announced.Any(a => a.Line == hold.Line && a.Table == hold.Table && a.Mode == hold.Mode && Overlap(a, hold)))
                {
                    _holds.Add(hold);
                }
            }
        }

        return [.. _holds.Concat(announced).OrderBy(h => h.Started)];
    }

    private void ReadOwnLocks(StatementSpan span)
    {
        if (_session is null)
        {
            return;
        }

        try
        {
            using var command = TableLockQuery.ForOwnSession(_session);
            using var reader = command.ExecuteReader();
            foreach (var heldLock in TableLockQuery.Read(reader))
            {
                _openInBlock.TryAdd((heldLock.Table, heldLock.Mode), span);
            }
        }
        catch (NpgsqlException e)
        {
            _logger.LogDebug("Could not read the script session's locks after line {Line}: {Message}", span.Line, e.Message);
        }
    }

    private void CloseBlock(long end)
    {
        foreach (var ((table, mode), from) in _openInBlock)
        {
            _holds.Add(Hold(from, table, mode, from.Start, end, sampled: false));
        }

        _openInBlock.Clear();
        _inBlock = false;
    }

    private async Task SampleAsync(int pid, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = TableLockQuery.ForSession(_side, pid);
            await command.PrepareAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (Volatile.Read(ref _sampling) is { } span)
                {
                    var sent = Now();
                    List<HeldLock> locks;
                    await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                    {
                        locks = await TableLockQuery.ReadAsync(reader, cancellationToken);
                    }

                    // A sample that straddles two statements belongs to neither.
                    if (ReferenceEquals(Volatile.Read(ref _sampling), span))
                    {
                        _samples.Add(new LockSample(span.Index, sent, Now(), locks));
                    }
                }

                await Task.Delay(_interval, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or InvalidCastException)
        {
            _logger.LogDebug("Stopped sampling the script session's locks: {Message}", e.Message);
        }
    }

    private LockHold Hold(StatementSpan from, string table, string mode, long start, long end, bool sampled) =>
        new(_script, from.Line, from.Label, table, mode, _clock.At(start), Stopwatch.GetElapsedTime(start, end), sampled);

    private static bool Overlap(LockHold a, LockHold b) => a.Started <= b.Started + b.HeldFor && b.Started <= a.Started + a.HeldFor;

    private static long Now() => RunClock.Now();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        await _side.DisposeAsync();
    }
}
