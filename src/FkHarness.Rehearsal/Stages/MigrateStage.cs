using FkHarness.Rehearsal.Pipeline;
using FkHarness.Migrator;
using FkHarness.Migrator.Scripts;

namespace FkHarness.Rehearsal.Stages;

/// <summary>One migration's up script, through the migrator (advisory lock, lock-timeout retries, checksum journal), run as the migration role.</summary>
internal sealed class MigrateStage(Migration migration, UpgradeRunner runner) : IRehearsalStage
{
    public string Name => $"migrate {migration.Version}";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var (role, error) = await MigrationRoleStep.ResolveAsync(context, cancellationToken);
        if (role is null)
        {
            return StageOutcome.Failed(error!);
        }

        var result = await runner.UpAsync(role.ConnectionString, migration.Version, cancellationToken);
        context.MigrationRuns.Add(result);
        if (!result.Succeeded)
        {
            return MigratorOutcome.Failed(result.Error, $"{migration.Up.FileName} failed.");
        }

        var waits = result.LockWaits.Count == 0 ? "" : $", {result.LockWaits.Count} lock-timeout retries";
        return StageOutcome.Succeeded(result.Applied.Count == 0
            ? $"{migration.Name} was already applied{waits}"
            : $"applied {string.Join(", ", result.Applied)} as {role.Name}{waits}");
    }
}
