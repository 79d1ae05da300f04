using System.Text.Json;
using FkHarness.Catalog;
using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// The files --step traffic and the rest of a graph run hand each other in <c>&lt;run folder&gt;/state/</c>:
/// <c>traffic.ready</c> (written by the step after the before-window: start the migrations),
/// <c>traffic.stop</c> (written by whoever ran the last migration: stop the writers),
/// <c>traffic.json</c> (written by the step at the end, after the lost-write check and the removal of its rows).
/// </summary>
internal static class TrafficStateFiles
{
    public static string Ready(string runFolder) => Path.Combine(runFolder, "state", "traffic.ready");

    public static string Stop(string runFolder) => Path.Combine(runFolder, "state", "traffic.stop");

    public static string Result(string runFolder) => Path.Combine(runFolder, "state", "traffic.json");

    public static async Task WriteResultAsync(string runFolder, TrafficResult result, CancellationToken cancellationToken)
    {
        var path = Result(runFolder);
        var partial = path + ".partial";
        await using (var stream = File.Create(partial))
        {
            await JsonSerializer.SerializeAsync(stream, result, ForeignKeyCatalog.JsonOptions, cancellationToken);
        }

        // Whoever waits for traffic.json never reads half of it.
        File.Move(partial, path, overwrite: true);
    }

    public static async Task<TrafficResult?> ReadResultAsync(string runFolder, CancellationToken cancellationToken)
    {
        var path = Result(runFolder);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<TrafficResult>(stream, ForeignKeyCatalog.JsonOptions, cancellationToken);
    }

    /// <summary>
    /// For the step that builds the report in a graph run: the traffic's result into the context
    /// (the report joins it with the stage records' windows) and its checks into the verification.
    /// Returns false when the run had no traffic.
    /// </summary>
    public static async Task<bool> AttachAsync(RehearsalContext context, string runFolder, CancellationToken cancellationToken)
    {
        if (await ReadResultAsync(runFolder, cancellationToken) is not { } result)
        {
            return false;
        }

        context.Traffic = result;
        context.Checks.RemoveAll(c => c.Category == TrafficChecks.Category);
        context.Checks.AddRange(TrafficChecks.For(result));
        return true;
    }
}
