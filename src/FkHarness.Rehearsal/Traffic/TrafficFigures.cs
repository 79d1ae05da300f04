using FkHarness.Migrator;
using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// The traffic joined with the migrate stages' windows (from the stage records, whichever process
/// ran them): latency before and during each migration, the longest stall and what the migration
/// held on that table then, and the failed writes by SQLSTATE. What the report shows.
/// </summary>
internal sealed record TrafficFigures(
    TrafficResult Result,
    IReadOnlyList<TrafficWindow> Windows,
    TrafficStall? LongestStall,
    IReadOnlyDictionary<string, int> FailuresBySqlState)
{
    public const string Before = "before";
    public const string After = "after";

    public int Writes => Result.Samples.Count;

    public int Rejected23503 => FailuresBySqlState.GetValueOrDefault(Postgres23503);

    /// <summary>Failed writes with any SQLSTATE but 23503: none expected.</summary>
    public int OtherFailures => FailuresBySqlState.Where(f => f.Key != Postgres23503).Sum(f => f.Value);

    private const string Postgres23503 = "23503";

    /// <summary>The windows are the stage records named "migrate …"; the lock holds say what held the stalled write's table.</summary>
    public static TrafficFigures From(TrafficResult result, IEnumerable<StageRecord> stages, IEnumerable<LockHold> holds)
    {
        var migrations = stages.Where(s => s.Name.StartsWith("migrate ", StringComparison.Ordinal)).OrderBy(s => s.StartedAt).ToList();
        var firstMigration = migrations.Count == 0 ? result.StoppedAt : migrations[0].StartedAt;
        var windows = new List<TrafficWindow> { Window(result, Before, result.MeasuredFrom, firstMigration) };
        windows.AddRange(migrations.Select(m => Window(result, m.Name["migrate ".Length..], m.StartedAt, m.FinishedAt)));
        if (migrations.Count > 0)
        {
            windows.Add(Window(result, After, migrations[^1].FinishedAt, result.StoppedAt));
        }

        TrafficStall? stall = null;
        // The warm-up's first statements (connections, JIT) are slow for reasons no migration has.
        var measured = result.Samples.Where(s => result.At(s.Start) >= result.MeasuredFrom).ToList();
        if (measured.Count > 0)
        {
            var longest = measured.MaxBy(s => s.Duration);
            var at = result.At(longest.Start);
            var kind = result.Kinds[longest.Target];
            var table = TrafficKinds.TableOf(kind);
            var until = at + TimeSpan.FromMilliseconds(result.Milliseconds(longest.Duration));
            var during = migrations.FirstOrDefault(m => at >= m.StartedAt && at < m.FinishedAt)?.Name["migrate ".Length..]
                ?? (at < firstMigration ? Before : After);
            var holder = holds
                .Where(h => h.BlocksWrites && h.Table == table && h.Started < until && h.Started + h.HeldFor > at)
                .MaxBy(h => h.HeldFor);
            stall = new TrafficStall(at, result.Milliseconds(longest.Duration), kind, during, longest.Outcome,
                holder is null ? null : $"{holder.Script} line {holder.Line} ({holder.Step}) held {holder.Mode} on {holder.Table} for {holder.HeldFor.TotalMilliseconds:0.0} ms");
        }

        return new TrafficFigures(result, windows, stall, result.FailuresBySqlState);
    }

    /// <summary>"before the migrations", "migrate 025", "after the migrations".</summary>
    public static string Describe(string window) => window switch
    {
        Before => "before the migrations",
        After => "after the migrations",
        _ => $"migrate {window}",
    };

    private static TrafficWindow Window(TrafficResult result, string name, DateTimeOffset from, DateTimeOffset to)
    {
        var inside = result.Samples.Where(s => result.At(s.Start) >= from && result.At(s.Start) < to).ToList();
        var latencies = inside.Select(s => result.Milliseconds(s.Duration)).Order().ToArray();
        return new TrafficWindow(name, from, to, inside.Count,
            Percentile.OfSorted(latencies, 50), Percentile.OfSorted(latencies, 99), latencies.Length == 0 ? double.NaN : latencies[^1],
            inside.Count(s => s.Outcome == WriteOutcome.ForeignKeyViolation), inside.Count(s => s.Outcome == WriteOutcome.OtherError));
    }
}
