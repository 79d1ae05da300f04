using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Resources;

namespace FkHarness.Rehearsal.Stages;

/// <summary>Gets the rehearsal its database (the resource <c>fkdb</c>) from the chosen provider.</summary>
internal sealed class ProvisionStage(IDatabaseProvider provider) : IRehearsalStage
{
    public string Name => "provision";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        context.Database = await provider.ProvisionAsync(context.Artifacts.RunId, cancellationToken);
        return StageOutcome.Succeeded($"{provider.Kind}, database {context.Database.Description}");
    }
}
