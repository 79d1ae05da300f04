using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Verification;
using FkHarness.Migrator.Audit;
using Npgsql;

namespace FkHarness.Rehearsal.Stages;

/// <summary>
/// The plan's Step 5, executed: 024 again, constraints and indexes, the quarantine against 024's
/// counts (and against the seeder's manifest, row by row, when the data was seeded), untouched
/// legal values, and every trigger rejecting a bad array in a rolled-back transaction.
/// </summary>
internal sealed class VerifyStage(AuditRunner audit) : IRehearsalStage
{
    public string Name => "verify";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var database = context.RequireDatabase();
        var after = await audit.RunAsync(database.ConnectionString, cancellationToken);
        if (!after.Succeeded)
        {
            return MigratorOutcome.Failed(after.Error, "024 could not be run after the migrations.");
        }

        context.AuditAfter = after;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        context.Quarantine = await QuarantineReader.ExistsAsync(connection, cancellationToken)
            ? await QuarantineReader.GroupsAsync(connection, cancellationToken)
            : [];

        var checks = context.Checks;
        checks.AddRange(await ConstraintChecks.RunAsync(connection, context.Catalog, cancellationToken));
        if (context.AuditBefore is { } before)
        {
            checks.AddRange(AuditComparisonChecks.Run(context.Catalog, before, after, context.Quarantine));
        }

        checks.AddRange(await ManifestChecks.RunAsync(connection, context.Seeded, context.Catalog, cancellationToken));
        checks.AddRange(await TriggerChecks.RunAsync(connection, context.Catalog, cancellationToken));

        var failed = checks.Where(c => c.Outcome == CheckOutcome.Failed).ToList();
        var skipped = checks.Count(c => c.Outcome == CheckOutcome.Skipped);
        var skippedNote = skipped == 0 ? "" : $", {skipped} skipped";
        return failed.Count == 0
            ? StageOutcome.Succeeded($"{checks.Count - skipped} checks passed{skippedNote}")
            : StageOutcome.Failed($"{failed.Count} of {checks.Count} checks failed{skippedNote}. First: {failed[0].Name}: {failed[0].Detail}." +
                (failed.Count > 1 ? $" Also: {string.Join("; ", failed.Skip(1).Take(4).Select(f => f.Name))}." : "") +
                " Every check is listed in the report.");
    }
}
