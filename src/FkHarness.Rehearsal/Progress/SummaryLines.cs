using System.Globalization;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Reporting;
using FkHarness.Rehearsal.Traffic;
using FkHarness.Rehearsal.Verification;

namespace FkHarness.Rehearsal.Progress;

/// <summary>The texts both consoles print at the end, so the terminal and a CI log tell the same story.</summary>
internal static class SummaryLines
{
    public static string Verification(RehearsalContext context)
    {
        var checks = context.Checks;
        if (checks.Count == 0)
        {
            return "Verification: not run";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"Verification: {checks.Count(c => c.Outcome == CheckOutcome.Passed)} passed, {checks.Count(c => c.Outcome == CheckOutcome.Failed)} failed, {checks.Count(c => c.Outcome == CheckOutcome.Skipped)} skipped");
    }

    public static string? Rollback(RehearsalContext context) => context.RollbackProof switch
    {
        null => null,
        { Holds: true } p => $"Rollback: schema and data of all {p.TablesCompared} tables identical to before up",
        var p => $"Rollback: NOT identical ({(p.SchemaEqual ? "schema same" : "schema differs")}, {(p.DataEqual ? "data same" : "data differs in " + string.Join(", ", p.TablesDiffering))})",
    };

    /// <summary>One line: writes, the longest stall, p99 per window, rejections, and whether every valid write is still there.</summary>
    public static string? Traffic(RehearsalContext context)
    {
        if (context.Traffic is not { } result)
        {
            return null;
        }

        var figures = TrafficFigures.From(result, context.Stages, context.LockHolds);
        var stall = figures.LongestStall is { } s ? string.Create(CultureInfo.InvariantCulture, $"longest write {s.Ms:0} ms ({s.Kind}, {TrafficFigures.Describe(s.During)})") : "no write";
        var p99 = string.Join(", ", figures.Windows.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Name} {w.P99Ms:0.0}")));
        var rejected = string.Join(", ", figures.FailuresBySqlState.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} × {f.Value}"));
        var lost = result.LostWrites switch
        {
            null => "lost writes not checked",
            { Lost: 0 } => "no valid write lost",
            var l => string.Create(CultureInfo.InvariantCulture, $"{l.Lost} valid writes LOST"),
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"Traffic: {figures.Writes:N0} writes at {result.Rate}/s; {stall}; p99 ms {p99}; failed: {(rejected.Length == 0 ? "none" : rejected)}{(figures.OtherFailures > 0 ? " (only 23503 expected)" : "")}; {lost}");
    }

    public static IEnumerable<string> Kept(RehearsalContext context)
    {
        if (context.Teardown?.Kept is not { } kept)
        {
            yield break;
        }

        yield return $"Kept running (--keep): host {kept.Host}, port {kept.Port}, database {kept.Database}, user {kept.Username}";
        yield return $"  password: {kept.PasswordSource}";
        if (kept.PasswordFile is not null)
        {
            yield return $"  connect:  PGPASSFILE={kept.PasswordFile} psql -h {kept.Host} -p {kept.Port} -U {kept.Username} -d {kept.Database}";
        }

        if (kept.EnvironmentFile is not null)
        {
            yield return $"  migrator: set -a; . {kept.EnvironmentFile}; set +a; dotnet run --project src/FkHarness.Migrator -- status";
        }

        yield return $"  remove:   {kept.RemoveCommand}";
    }

    public static IEnumerable<string> Files(RehearsalContext context)
    {
        foreach (var file in new[] { context.Artifacts.HtmlReport, context.Artifacts.AuditReport })
        {
            if (File.Exists(file))
            {
                yield return $"Report: {file}";
            }
        }
    }

    public static string Result(RehearsalContext context)
    {
        var verdict = RehearsalVerdict.From(context.Stages);
        var seconds = context.Stages.Sum(s => s.Duration.TotalSeconds);
        return verdict.Succeeded
            ? $"Rehearsal succeeded in {Seconds(seconds)} s{Span(context.Stages, seconds)}."
            : $"Rehearsal {verdict.Describe()}: {verdict.FailedStage!.Outcome.Error}";
    }

    /// <summary>
    /// Under the AppHost each step is a process of its own, and the hand-offs between them take
    /// time no stage counts: then the span from the first stage's start to the last one's end too.
    /// </summary>
    private static string Span(IReadOnlyList<StageRecord> stages, double stageSeconds)
    {
        var timed = stages.Where(s => s.StartedAt != default).ToList();
        if (timed.Count == 0)
        {
            return "";
        }

        var span = (timed.Max(s => s.FinishedAt) - timed.Min(s => s.StartedAt)).TotalSeconds;
        return span - stageSeconds >= 0.5 ? $" of stages ({Seconds(span)} s from the first stage's start to the report, with the steps' hand-offs)" : "";
    }

    private static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture);

    public static string After(RelationshipRow row) => HtmlReport.Count(row.After?.OrphanCount);
}
