using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.Commands;

/// <summary>
/// A step's stages run under <see cref="Token"/>: cancelled by Ctrl+C or SIGTERM, and by the
/// AppHost's <see cref="StopRequest"/> once it appears. The AppHost stops the step it sees running
/// itself; this covers the one DCP was starting as the signal landed, which it could not see yet.
/// </summary>
internal sealed class StopRequestWatch : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly CancellationTokenSource source;
    private readonly Timer timer;

    private StopRequestWatch(StopRequest stop, CancellationToken signal)
    {
        source = CancellationTokenSource.CreateLinkedTokenSource(signal);
        // Asked before this step started: it closes the rehearsal (see StepRunner), which no stop cuts short.
        var askedBefore = stop.IsRequested;
        timer = new Timer(_ =>
        {
            if (stop.IsRequested && !source.IsCancellationRequested)
            {
                Console.WriteLine("fkharness: the AppHost was stopped (state/stop): stopping this step and cleaning up.");
                source.Cancel();
            }
        }, null, askedBefore ? Timeout.InfiniteTimeSpan : Poll, Poll);
    }

    public CancellationToken Token => source.Token;

    public static StopRequestWatch Start(StopRequest stop, CancellationToken signal) => new(stop, signal);

    public void Dispose()
    {
        timer.Dispose();
        source.Dispose();
    }
}
