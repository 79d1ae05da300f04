using System.Text.RegularExpressions;

namespace FkHarness.AppHost.Running;

/// <summary>
/// Shows the steps' output on the AppHost's console, stdout to stdout and stderr to stderr, as
/// each step printed it: its stage lines, and the report step's summary. The steps run one after
/// the other, and so are their logs relayed: a step's lines, once it ended and its log went quiet,
/// then the next one's (its backlog is replayed). A resource beside them (the traffic) is relayed
/// as its lines come. Remembers when the last line came, so the AppHost can let the tail arrive
/// before it stops.
/// </summary>
internal sealed partial class ResourceLogRelay(ResourceLoggerService logs, ResourceNotificationService notifications, IReadOnlyList<string> resourceNames)
{
    private static readonly string[] Ended = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart];
    private readonly Dictionary<string, TaskCompletionSource> relayed = resourceNames.ToDictionary(n => n, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    private long lastLineTicks = DateTime.UtcNow.Ticks;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var name in resourceNames)
            {
                await RelayAsync(name, cancellationToken);
                relayed[name].TrySetResult();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// A resource that runs beside the steps (the <c>traffic</c> writers): its lines as they come,
    /// only those <paramref name="keep"/> accepts, until <paramref name="cancellationToken"/> ends the relay.
    /// </summary>
    public async Task RelayAlongsideAsync(string name, Func<string, bool> keep, CancellationToken cancellationToken)
    {
        try
        {
            var first = await notifications.WaitForResourceAsync(name, e => e.Snapshot.State?.Text is { Length: > 0 } state && state != KnownResourceStates.NotStarted, cancellationToken);
            await foreach (var batch in logs.WatchAsync(first.ResourceId).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    var content = Timestamp().Replace(line.Content, "", 1);
                    if (!OrchestratorLine().IsMatch(content) && keep(content))
                    {
                        await (line.IsErrorMessage ? Console.Error : Console.Out).WriteLineAsync(content);
                        Interlocked.Exchange(ref lastLineTicks, DateTime.UtcNow.Ticks);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Completes once every line of <paramref name="resourceName"/> (and of the steps before it) reached the console, at most after <paramref name="limit"/>.</summary>
    public async Task RelayedAsync(string resourceName, TimeSpan limit) =>
        await Task.WhenAny(relayed[resourceName].Task, Task.Delay(limit));

    /// <summary>Waits until no line came for <paramref name="quiet"/>, at most <paramref name="limit"/>.</summary>
    public async Task DrainAsync(TimeSpan quiet, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && DateTime.UtcNow - new DateTime(Interlocked.Read(ref lastLineTicks), DateTimeKind.Utc) < quiet)
        {
            await Task.Delay(50);
        }
    }

    private async Task RelayAsync(string name, CancellationToken cancellationToken)
    {
        // Logs are kept under the instance DCP made (seed-abcd1234), known once it exists; the backlog is replayed.
        var first = await notifications.WaitForResourceAsync(name, e => e.Snapshot.State?.Text is { Length: > 0 } state && state != KnownResourceStates.NotStarted, cancellationToken);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ending = EndWhenQuietAsync(name, done, cancellationToken);
        try
        {
            await foreach (var batch in logs.WatchAsync(first.ResourceId).WithCancellation(done.Token))
            {
                foreach (var line in batch)
                {
                    var content = Timestamp().Replace(line.Content, "", 1);
                    // A resource's log also holds Aspire's and DCP's own lines (waits, commands, "[sys] Starting process"), not the step's.
                    // They are told by their text: DCP may hand over the process's first line before its own "[sys] Starting process".
                    if (!OrchestratorLine().IsMatch(content))
                    {
                        await (line.IsErrorMessage ? Console.Error : Console.Out).WriteLineAsync(content);
                    }
                }

                Interlocked.Exchange(ref lastLineTicks, DateTime.UtcNow.Ticks);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // This step ended and its log went quiet: on to the next.
        }

        await ending;
    }

    private async Task EndWhenQuietAsync(string name, CancellationTokenSource done, CancellationToken cancellationToken)
    {
        try
        {
            await notifications.WaitForResourceAsync(name, e => Ended.Contains(e.Snapshot.State?.Text), cancellationToken);
            // The last lines may reach the log a moment after the process ended.
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
            await DrainAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
            await done.CancelAsync();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [GeneratedRegex(@"^(\[sys\]|Waiting for |Finished waiting for |Executing command '|Successfully executed command '|Failure executing command '|Resource '[^']*' has entered |Failed to create resource |No custom certificate authorities to configure )")]
    private static partial Regex OrchestratorLine();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z ")]
    private static partial Regex Timestamp();
}
