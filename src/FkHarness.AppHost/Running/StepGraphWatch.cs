using System.Collections.Concurrent;
using FkHarness.Rehearsal.Commands;

namespace FkHarness.AppHost.Running;

/// <summary>
/// Watches the step resources for how the rehearsal ends: the last step (report) ended, or a step
/// ended with a non-zero exit code or failed to start (it wrote the report itself, naming its
/// stage; the steps after it never start). Knows which step is running, for Ctrl+C.
/// </summary>
internal sealed class StepGraphWatch(ResourceNotificationService notifications, IReadOnlyList<string> steps)
{
    private static readonly string[] Ended = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart];
    private readonly ConcurrentDictionary<string, string> states = new();

    /// <returns>The step that ended the rehearsal and its exit code.</returns>
    public async Task<(string Step, int ExitCode)> EndAsync(CancellationToken cancellationToken)
    {
        await foreach (var update in notifications.WatchAsync(cancellationToken))
        {
            var step = update.Resource.Name;
            var state = update.Snapshot.State?.Text;
            if (!steps.Contains(step) || state is null)
            {
                continue;
            }

            states[step] = state;
            if (!Ended.Contains(state))
            {
                continue;
            }

            var exitCode = state == KnownResourceStates.FailedToStart ? ExitCodes.Failed : update.Snapshot.ExitCode ?? ExitCodes.Failed;
            if (step == steps[^1] || exitCode != ExitCodes.Succeeded)
            {
                return (step, exitCode);
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>The steps running now (one, but for a moment between two).</summary>
    public IReadOnlyList<string> Running() =>
        [.. steps.Where(s => states.TryGetValue(s, out var state) && (state == KnownResourceStates.Running || state == KnownResourceStates.Starting))];
}
