using System.Text.Json;
using System.Text.Json.Nodes;
using FkHarness.Catalog;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Traffic;

namespace FkHarness.Rehearsal.Reporting;

/// <summary>FK_AUDIT_REPORT.json's <c>traffic</c>: the figures of --traffic, windows joined with the stages; null without --traffic.</summary>
internal static class TrafficJson
{
    public static JsonObject? Build(RehearsalContext context)
    {
        if (context.Traffic is not { } result)
        {
            return null;
        }

        var figures = TrafficFigures.From(result, context.Stages, context.LockHolds);
        var options = ForeignKeyCatalog.JsonOptions;
        return new JsonObject
        {
            ["rate"] = result.Rate,
            ["writers"] = result.Writers,
            ["application_name"] = TrafficOptions.ApplicationName,
            ["invalid_share"] = result.InvalidShare,
            ["started_at"] = result.StartedAt,
            ["ready_at"] = result.ReadyAt,
            ["stopped_at"] = result.StoppedAt,
            ["stopped_early"] = result.StoppedEarly,
            ["error"] = result.Error,
            ["writes"] = figures.Writes,
            ["invalid_tried"] = result.InvalidTried,
            ["windows"] = new JsonArray([.. figures.Windows.Select(w => (JsonNode)new JsonObject
            {
                ["name"] = w.Name,
                ["from"] = w.From,
                ["to"] = w.To,
                ["writes"] = w.Writes,
                ["p50_ms"] = Ms(w.P50Ms),
                ["p99_ms"] = Ms(w.P99Ms),
                ["max_ms"] = Ms(w.MaxMs),
                ["rejected_23503"] = w.Rejected23503,
                ["other_failures"] = w.OtherFailures,
            })]),
            ["longest_stall"] = figures.LongestStall is not { } stall ? null : new JsonObject
            {
                ["at"] = stall.At,
                ["ms"] = Ms(stall.Ms),
                ["kind"] = stall.Kind,
                ["table"] = TrafficKinds.TableOf(stall.Kind),
                ["during"] = stall.During,
                ["outcome"] = JsonSerializer.SerializeToNode(stall.Outcome, options),
                ["held_by"] = stall.HeldBy,
            },
            ["failures_by_sqlstate"] = JsonSerializer.SerializeToNode(figures.FailuresBySqlState, options),
            ["unexpected_sqlstates"] = new JsonArray([.. figures.FailuresBySqlState.Keys.Where(k => k != "23503").Order(StringComparer.Ordinal).Select(k => JsonValue.Create(k))]),
            ["examples"] = JsonSerializer.SerializeToNode(result.Examples, options),
            ["problems"] = JsonSerializer.SerializeToNode(result.Problems, options),
            ["lost_writes"] = result.LostWrites is null ? null : JsonSerializer.SerializeToNode(result.LostWrites, options),
            ["rows_removed"] = JsonSerializer.SerializeToNode(result.RowsRemoved, options),
            ["checks"] = JsonSerializer.SerializeToNode(context.Checks.Where(c => c.Category == TrafficChecks.Category).ToList(), options),
        };
    }

    /// <summary>Milliseconds to two places; null for a window without writes (JSON has no NaN).</summary>
    private static double? Ms(double value) => double.IsNaN(value) ? null : Math.Round(value, 2);
}
