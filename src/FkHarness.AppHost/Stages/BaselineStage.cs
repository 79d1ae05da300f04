using FkHarness.AppHost.Pipeline;
using FkHarness.Migrator;

namespace FkHarness.AppHost.Stages;

/// <summary>The schema as it stands before 024 (baseline/000_pre_fix_schema.sql), through the migrator.</summary>
public sealed class BaselineStage(BaselineInstaller installer) : IRehearsalStage
{
    public string Name => "baseline";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var result = await installer.InstallAsync(context.RequireDatabase().ConnectionString, cancellationToken);
        return result.Succeeded
            ? StageOutcome.Succeeded("pre-fix schema installed (000_pre_fix_schema.sql)")
            : MigratorOutcome.Failed(result.Error, "The baseline could not be installed.");
    }
}
