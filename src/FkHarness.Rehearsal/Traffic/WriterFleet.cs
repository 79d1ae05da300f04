namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// Concurrent writers started together and stopped together. <see cref="StopAsync"/> lets each
/// finish the write in flight; <see cref="Abort"/> (Ctrl+C) cancels the writes in flight too.
/// </summary>
internal sealed class WriterFleet : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Task> _running;

    /// <param name="writers">Each writer's loop: write until the first token is cancelled; pass the second to the write in flight.</param>
    public WriterFleet(IEnumerable<Func<CancellationToken, CancellationToken, Task>> writers) =>
        _running = [.. writers.Select(w => Task.Run(() => w(_stop.Token, _abort.Token)))];

    /// <summary>Stops the writers after their write in flight and waits for them.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
    }

    /// <summary>Stops the writers now, their writes in flight cancelled.</summary>
    public void Abort()
    {
        _stop.Cancel();
        _abort.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_running);
        }
        catch (Exception) when (_running.All(t => t.IsCompleted))
        {
            // Already reported by StopAsync, or the run failed for another reason being reported.
        }

        _stop.Dispose();
        _abort.Dispose();
    }
}
