using FkHarness.AppHost.Pipeline;
using FkHarness.AppHost.Postgres;

namespace FkHarness.AppHost.Stages;

/// <summary>With --rollback: schema and per-table checksums right before the first up, to prove the rollback against.</summary>
public sealed class SnapshotStage(PgClientTools tools) : IRehearsalStage
{
    public string Name => "snapshot";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var database = context.RequireDatabase();
        var schema = await SchemaSnapshot.TakeAsync(tools, database, cancellationToken);
        var checksums = await DataChecksums.TakeAsync(database.ConnectionString, cancellationToken);
        context.SnapshotBeforeUp = new DatabaseSnapshot(schema, checksums);
        await File.WriteAllTextAsync(context.Artifacts.SchemaBeforeUp, schema, cancellationToken);
        return StageOutcome.Succeeded($"schema of public and checksums of {checksums.Count} tables taken");
    }
}
