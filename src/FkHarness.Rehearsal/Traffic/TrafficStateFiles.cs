using System.Text.Json;
using FkHarness.Catalog;
using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// traffic.json in a graph run's <c>state/</c> (see <see cref="TrafficSignals"/>): written by
/// --step traffic at the end, after the lost-write check and the removal of its rows; read back
/// by the steps after it, so verify counts the traffic's checks and the report joins its samples
/// with the migrate stages' records.
/// </summary>
internal static class TrafficStateFiles
{
    public static async Task WriteResultAsync(TrafficSignals signals, TrafficResult result, CancellationToken cancellationToken)
    {
        var partial = signals.Result + ".partial";
        await using (var stream = File.Create(partial))
        {
            await JsonSerializer.SerializeAsync(stream, result, ForeignKeyCatalog.JsonOptions, cancellationToken);
        }

        // Whoever waits for traffic.json never reads half of it.
        File.Move(partial, signals.Result, overwrite: true);
    }

    public static async Task<TrafficResult?> ReadResultAsync(TrafficSignals signals, CancellationToken cancellationToken)
    {
        if (!File.Exists(signals.Result))
        {
            return null;
        }

        await using var stream = File.OpenRead(signals.Result);
        return await JsonSerializer.DeserializeAsync<TrafficResult>(stream, ForeignKeyCatalog.JsonOptions, cancellationToken);
    }

    /// <summary>
    /// For a step after the traffic (verify, the report): its result into the context and its
    /// checks into the verification, replacing any carried over. False when there is none (yet).
    /// </summary>
    public static async Task<bool> AttachAsync(RehearsalContext context, TrafficSignals signals, CancellationToken cancellationToken)
    {
        if (await ReadResultAsync(signals, cancellationToken) is not { } result)
        {
            return false;
        }

        context.Traffic = result;
        context.Checks.RemoveAll(c => c.Category == TrafficChecks.Category);
        context.Checks.AddRange(TrafficChecks.For(result));
        return true;
    }
}
