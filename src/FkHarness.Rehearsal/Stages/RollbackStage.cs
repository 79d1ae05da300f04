using System.Globalization;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Migrator;
using FkHarness.Migrator.Scripts;

namespace FkHarness.Rehearsal.Stages;

/// <summary>With --rollback: one migration's down script, newest first, through the migrator, run as the migration role.</summary>
/// <param name="migration">The migration to roll back.</param>
/// <param name="floor">The version to roll back to: the migration before this one, or a number below it for the first.</param>
/// <param name="runner">The migrator's down runner.</param>
internal sealed class RollbackStage(Migration migration, string floor, DowngradeRunner runner) : IRehearsalStage
{
    public string Name => $"rollback {migration.Version}";

    public static string FloorFor(MigrationSet set, Migration migration)
    {
        var previous = set.Migrations.LastOrDefault(m => m.Number < migration.Number);
        return previous?.Version ?? (migration.Number - 1).ToString(CultureInfo.InvariantCulture);
    }

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var (role, error) = await MigrationRoleStep.ResolveAsync(context, cancellationToken);
        if (role is null)
        {
            return StageOutcome.Failed(error!);
        }

        var result = await runner.DownAsync(role.ConnectionString, floor, cancellationToken);
        context.MigrationRuns.Add(result);
        return result.Succeeded
            ? StageOutcome.Succeeded(result.RolledBack.Count == 0 ? $"{migration.Name} was not applied" : $"rolled back {string.Join(", ", result.RolledBack)} as {role.Name}")
            : MigratorOutcome.Failed(result.Error, $"{migration.Down.FileName} failed.");
    }
}
