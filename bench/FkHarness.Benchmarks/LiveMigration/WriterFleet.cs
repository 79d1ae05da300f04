namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>The concurrent live writers of one run: started together, stopped together.</summary>
internal sealed class WriterFleet : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<LiveWriter> writers;
    private readonly List<Task> running;

    private WriterFleet(List<LiveWriter> writers)
    {
        this.writers = writers;
        running = writers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();
    }

    public static WriterFleet Start(string connectionString, int users, LiveMigrationOptions options) =>
        new(Enumerable.Range(1, options.Writers).Select(n => new LiveWriter(n, connectionString, users, options)).ToList());

    /// <summary>Stops the writers (each finishes its write in flight) and returns every sample.</summary>
    public async Task<WriterLog> StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(running);
        return new WriterLog(
            writers.SelectMany(w => w.Samples).OrderBy(s => s.Start).ToList(),
            writers.Select(w => w.FirstOtherError).FirstOrDefault(e => e is not null));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(running);
        }
        catch (Exception) when (running.All(t => t.IsCompleted))
        {
            // Already reported by StopAsync, or the run failed for another reason being reported.
        }

        stop.Dispose();
    }
}
