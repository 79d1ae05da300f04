namespace FkHarness.Rehearsal.State;

/// <summary>
/// One step at a time on a run folder: an exclusive lock (flock, through FileShare.None) on
/// <c>state/step.lock</c>, held by a step from before it reads context.json until it has saved it.
/// The AppHost starts the steps one after the other, but a step DCP starts as Ctrl+C lands, and
/// the report step the AppHost then runs itself, must never work on the run at the same time.
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
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, "step.lock");
        while (true)
        {
            try
            {
                return new StepTurn(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (e.HResult == SharingViolation)
            {
                await Task.Delay(Poll, cancellationToken);
            }
        }
    }

    public void Dispose() => lockFile.Dispose();
}
