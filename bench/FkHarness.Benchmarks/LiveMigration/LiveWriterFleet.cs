using FkHarness.Rehearsal.Traffic;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>The live writers of one run, on the rehearsal's <see cref="WriterFleet"/>: started together, stopped together.</summary>
internal sealed class LiveWriterFleet : IAsyncDisposable
{
    private readonly List<LiveWriter> writers;
    private readonly WriterFleet fleet;

    private LiveWriterFleet(List<LiveWriter> writers)
    {
        this.writers = writers;
        fleet = new WriterFleet(writers.Select(w => (Func<CancellationToken, CancellationToken, Task>)((stop, _) => w.RunAsync(stop))));
    }

    public static LiveWriterFleet Start(string connectionString, int users, LiveMigrationOptions options) =>
        new(Enumerable.Range(1, options.Writers).Select(n => new LiveWriter(n, connectionString, users, options)).ToList());

    /// <summary>Stops the writers (each finishes its write in flight) and returns every sample.</summary>
    public async Task<WriterLog> StopAsync()
    {
        await fleet.StopAsync();
        return new WriterLog(
            writers.SelectMany(w => w.Samples).OrderBy(s => s.Start).ToList(),
            writers.Select(w => w.FirstOtherError).FirstOrDefault(e => e is not null));
    }

    public ValueTask DisposeAsync() => fleet.DisposeAsync();
}
