using FkHarness.Rehearsal.Pipeline;
using FkHarness.Migrator;

namespace FkHarness.Rehearsal.Stages;

/// <summary>The schema as it stands before 024 (baseline/000_pre_fix_schema.sql), through the migrator.</summary>
/// <param name="installer">The migrator's baseline installer.</param>
/// <param name="origin">Which baseline file it installs, for the summary.</param>
internal sealed class BaselineStage(BaselineInstaller installer, string origin) : IRehearsalStage
{
    public string Name => "baseline";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var result = await installer.InstallAsync(context.RequireDatabase().ConnectionString, cancellationToken);
        return result.Succeeded
            ? StageOutcome.Succeeded($"pre-fix schema installed ({origin})")
            : MigratorOutcome.Failed(result.Error, "The baseline could not be installed.");
    }
}
