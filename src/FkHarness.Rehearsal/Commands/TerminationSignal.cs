using System.Runtime.InteropServices;

namespace FkHarness.Rehearsal.Commands;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM cancel the rehearsal, which then tears down what it provisioned and
/// writes its report. A second Ctrl+C ends the process at once; the cluster's watchdog still stops
/// the server and deletes its folder.
/// </summary>
internal sealed class TerminationSignal : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration terminate;

    public TerminationSignal()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Cancel("SIGTERM");
        });
    }

    public CancellationToken Token => source.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (source.IsCancellationRequested)
        {
            return;
        }

        e.Cancel = true;
        Cancel("Ctrl+C");
    }

    private void Cancel(string signal)
    {
        Console.Error.WriteLine($"fkharness: {signal}: stopping the rehearsal and cleaning up (press Ctrl+C again to quit at once).");
        source.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        terminate.Dispose();
        source.Dispose();
    }
}
