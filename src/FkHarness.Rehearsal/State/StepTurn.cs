namespace FkHarness.Rehearsal.State;

/// <summary>
/// One step at a time on a run folder: an exclusive lock (flock, through FileShare.None) on
/// <c>state/step.lock</c>, held by a step from before it reads context.json until it has saved it.
/// The AppHost starts the steps one after the other, but a step DCP starts as Ctrl+C lands, and
/// the report step the AppHost then runs itself, must never work on the run at the same time;
/// nor may two of fkdb's commands, which do not wait for their turn but refuse.
/// </summary>
internal sealed class StepTurn : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    // ERROR_SHARING_VIOLATION: what .NET throws on Unix when flock(LOCK_EX | LOCK_NB) finds the file locked.
    private const int SharingViolation = unchecked((int)0x80070020);

    private readonly FileStream lockFile;

    private StepTurn(FileStream lockFile) => this.lockFile = lockFile;

    /// <summary>Waits until no other step holds the run folder; cancelled by Ctrl+C or SIGTERM.</summary>
    public static async Task<StepTurn> TakeAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(stateDirectory) is { } turn)
            {
                return turn;
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>The turn if no other step or command holds the run folder now; otherwise null.</summary>
    public static StepTurn? TryTake(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        try
        {
            return new StepTurn(new FileStream(Path.Combine(stateDirectory, "step.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e.HResult == SharingViolation)
        {
            return null;
        }
    }

    public void Dispose() => lockFile.Dispose();
}
