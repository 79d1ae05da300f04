using System.Diagnostics;
using Npgsql;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// One writer's writes, timed, and how they ended: a sample each, the failures by SQLSTATE with a
/// few examples, and what a real FK would not allow (a valid write rejected, an invalid one accepted).
/// </summary>
internal sealed class WriteRecorder
{
    private const int ExamplesPerState = 5;
    private const int MaxProblems = 20;

    public List<WriteSample> Samples { get; } = new(capacity: 1 << 12);

    /// <summary>Every failed write by SQLSTATE (23503 included; "08006" for a broken connection).</summary>
    public Dictionary<string, int> FailuresBySqlState { get; } = new(StringComparer.Ordinal);

    /// <summary>A few failures of each SQLSTATE, with what was being written.</summary>
    public List<TrafficError> Examples { get; } = [];

    /// <summary>What a real FK would not allow: a valid write rejected, an invalid one accepted once guarded.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Invalid writes tried (each where its table was already guarded).</summary>
    public int InvalidTried { get; private set; }

    /// <summary>
    /// Runs one statement, timed. Returns whether the connection is still usable, the scalar (or
    /// row count) when the write was acknowledged (null when it failed), and whether it got no
    /// answer at all (it may or may not have committed).
    /// </summary>
    public async Task<(bool Usable, object? Result, bool Unanswered)> WriteAsync(
        NpgsqlConnection connection, byte kind, string sql, bool invalid, Action<NpgsqlCommand> bind, bool scalar, CancellationToken abort)
    {
        if (invalid)
        {
            InvalidTried++;
        }

        await using var command = new NpgsqlCommand(sql, connection);
        bind(command);
        var start = Stopwatch.GetTimestamp();
        try
        {
            object? result = scalar ? await command.ExecuteScalarAsync(abort) : await command.ExecuteNonQueryAsync(abort);
            Samples.Add(new WriteSample(start, Stopwatch.GetTimestamp() - start, kind, WriteOutcome.Committed));
            if (invalid && Problems.Count < MaxProblems)
            {
                Problems.Add($"{TrafficKinds.All[kind]}: an invalid value was accepted although the table's FK or trigger existed");
            }

            return (true, scalar ? result : Convert.ToInt32(result, System.Globalization.CultureInfo.InvariantCulture), false);
        }
        catch (PostgresException e) when (!abort.IsCancellationRequested)
        {
            var outcome = e.SqlState == PostgresErrorCodes.ForeignKeyViolation ? WriteOutcome.ForeignKeyViolation : WriteOutcome.OtherError;
            Samples.Add(new WriteSample(start, Stopwatch.GetTimestamp() - start, kind, outcome));
            Record(TrafficKinds.All[kind], e.SqlState, e.MessageText);
            if (!invalid && outcome == WriteOutcome.ForeignKeyViolation && Problems.Count < MaxProblems)
            {
                Problems.Add($"{TrafficKinds.All[kind]}: a valid write was rejected: {e.MessageText}");
            }

            return (connection.FullState == System.Data.ConnectionState.Open, null, false);
        }
        catch (Exception e) when (!abort.IsCancellationRequested && e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
        {
            // No answer: the write may or may not have committed.
            Samples.Add(new WriteSample(start, Stopwatch.GetTimestamp() - start, kind, WriteOutcome.OtherError));
            Record(TrafficKinds.All[kind], "08006", e.Message);
            return (false, null, true);
        }
        catch (Exception) when (abort.IsCancellationRequested)
        {
            // Ctrl+C: the write in flight was cancelled; it is not a sample.
            return (false, null, true);
        }
    }

    public void Record(string kind, string sqlState, string message)
    {
        FailuresBySqlState[sqlState] = FailuresBySqlState.GetValueOrDefault(sqlState) + 1;
        if (Examples.Count(x => x.SqlState == sqlState) < ExamplesPerState)
        {
            Examples.Add(new TrafficError(DateTimeOffset.UtcNow, kind, sqlState, message));
        }
    }
}
