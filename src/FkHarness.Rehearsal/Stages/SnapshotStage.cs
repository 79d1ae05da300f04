using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;

namespace FkHarness.Rehearsal.Stages;

/// <summary>With --rollback: schema and per-table checksums right before the first up, to prove the rollback against.</summary>
internal sealed class SnapshotStage(PgClientTools tools) : IRehearsalStage
{
    public string Name => "snapshot";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var database = context.RequireDatabase();
        // pg_dump waits on the server little; the checksums keep it busy: run them side by side.
        var schemaTask = SchemaSnapshot.TakeAsync(tools, database, cancellationToken);
        var checksums = await DataChecksums.TakeAsync(database.ConnectionString, cancellationToken);
        var schema = await schemaTask;
        context.SnapshotBeforeUp = new DatabaseSnapshot(schema, checksums);
        await File.WriteAllTextAsync(context.Artifacts.SchemaBeforeUp, schema, cancellationToken);
        return StageOutcome.Succeeded($"schema of public and checksums of {checksums.Count} tables taken");
    }
}
