using FkHarness.Rehearsal.Pipeline;
using FkHarness.Migrator.Audit;

namespace FkHarness.Rehearsal.Stages;

/// <summary>The plan's Step 1: 024's orphan counts, FK list and index coverage, before anything changes.</summary>
internal sealed class AuditStage(AuditRunner runner) : IRehearsalStage
{
    public string Name => "audit";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var audit = await runner.RunAsync(context.RequireDatabase().ConnectionString, cancellationToken);
        if (!audit.Succeeded)
        {
            return MigratorOutcome.Failed(audit.Error, "024 could not be run.");
        }

        context.AuditBefore = audit;
        var affected = audit.Relationships.Count(r => r.OrphanCount > 0);
        return StageOutcome.Succeeded($"{audit.TotalOrphans:N0} orphan rows in {affected} of {audit.Relationships.Count} relationships");
    }
}
