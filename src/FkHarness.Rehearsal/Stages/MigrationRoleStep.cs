using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;

namespace FkHarness.Rehearsal.Stages;

/// <summary>What the migrate and rollback stages share: the role they run as, resolved once per rehearsal.</summary>
internal static class MigrationRoleStep
{
    /// <returns>The role, or no role and the error when --migrate-as names no role.</returns>
    public static async Task<(MigrationRole? Role, string? Error)> ResolveAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        if (context.MigrationRole is null)
        {
            var database = context.RequireDatabase();
            context.MigrationRole = await MigrationRoleResolver.ResolveAsync(database, context.Options.MigrateAs, cancellationToken);
            if (context.MigrationRole is null)
            {
                return (null, $"--migrate-as {context.Options.MigrateAs}: no such role on {database.Description}. Name the role that owns the tables (with --from-dump, one the dump names).");
            }
        }

        return (context.MigrationRole, null);
    }
}
