using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Resources;

namespace FkHarness.Rehearsal.Stages;

/// <summary>Drops the database / stops the cluster, or with --keep leaves it running and records how to reach it.</summary>
internal sealed class TeardownStage(IDatabaseProvider provider) : IRehearsalStage
{
    public string Name => "teardown";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        // Ctrl+C means stop everything, --keep or not.
        var result = await provider.TearDownAsync(context.Options.Keep && !context.WasCancelled, cancellationToken);
        context.Teardown = result;
        return StageOutcome.Succeeded(result.Summary);
    }
}
