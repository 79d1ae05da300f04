using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.Progress;

/// <summary>The rehearsal's face on the console: progress while it runs, a summary at the end.</summary>
internal interface IRehearsalConsole : IRehearsalProgress
{
    /// <summary>Runs the rehearsal with a live progress display where the console supports one.</summary>
    Task RunAsync(Func<Task> rehearsal);

    void Summary(RehearsalContext context);
}
