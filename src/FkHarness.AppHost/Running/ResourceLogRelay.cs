using System.Text.RegularExpressions;

namespace FkHarness.AppHost.Running;

/// <summary>
/// Shows a resource's output on the AppHost's console, stdout to stdout and stderr to stderr,
/// as the rehearsal printed it: its stage lines, summary and messages. Remembers when the last
/// line came, so the AppHost can let the tail arrive before it stops.
/// </summary>
internal sealed partial class ResourceLogRelay(ResourceLoggerService logs, ResourceNotificationService notifications, string resourceName)
{
    private long lastLineTicks = DateTime.UtcNow.Ticks;
    private bool started;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Logs are kept under the instance DCP made (rehearsal-abcd1234), known once it exists; the backlog is replayed.
            var first = await notifications.WaitForResourceAsync(resourceName, e => e.Snapshot.State?.Text is { Length: > 0 } state && state != KnownResourceStates.NotStarted, cancellationToken);
            await foreach (var batch in logs.WatchAsync(first.ResourceId).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    var content = Timestamp().Replace(line.Content, "", 1);
                    // Before the process starts, the log holds Aspire's own lines (waits, "[sys] Starting process"): not the rehearsal's.
                    started |= content.StartsWith("[sys] Starting process", StringComparison.Ordinal);
                    if (started && !content.StartsWith("[sys]", StringComparison.Ordinal) && !content.StartsWith("Successfully executed command", StringComparison.Ordinal))
                    {
                        await (line.IsErrorMessage ? Console.Error : Console.Out).WriteLineAsync(content);
                    }
                }

                Interlocked.Exchange(ref lastLineTicks, DateTime.UtcNow.Ticks);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until no line came for <paramref name="quiet"/>, at most <paramref name="limit"/>.</summary>
    public async Task DrainAsync(TimeSpan quiet, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && DateTime.UtcNow - new DateTime(Interlocked.Read(ref lastLineTicks), DateTimeKind.Utc) < quiet)
        {
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z ")]
    private static partial Regex Timestamp();
}
