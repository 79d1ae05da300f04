using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;

namespace FkHarness.Rehearsal.Stages;

/// <summary>After the rollback: schema and data must equal the snapshot taken before the first up.</summary>
internal sealed class RollbackProofStage(PgClientTools tools) : IRehearsalStage
{
    public string Name => "prove rollback";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var before = context.SnapshotBeforeUp ?? throw new InvalidOperationException("No snapshot was taken before up.");
        var database = context.RequireDatabase();
        // pg_dump waits on the server little; the checksums keep it busy: run them side by side.
        var schemaTask = SchemaSnapshot.TakeAsync(tools, database, cancellationToken);
        var checksums = await DataChecksums.TakeAsync(database.ConnectionString, cancellationToken);
        var schema = await schemaTask;
        await File.WriteAllTextAsync(context.Artifacts.SchemaAfterRollback, schema, cancellationToken);
        var proof = RollbackProof.Compare(before, new DatabaseSnapshot(schema, checksums));
        context.RollbackProof = proof;
        if (proof.Holds)
        {
            return StageOutcome.Succeeded($"schema identical, data identical in all {proof.TablesCompared} tables");
        }

        var schemaPart = proof.SchemaEqual ? "schema identical" : $"schema differs ({string.Join("; ", proof.SchemaDifferences.Take(3))})";
        var dataPart = proof.DataEqual ? "data identical" : $"data differs in {string.Join(", ", proof.TablesDiffering)}";
        return StageOutcome.Failed($"The rollback did not restore the database: {schemaPart}; {dataPart}. " +
            $"Compare {Path.GetFileName(context.Artifacts.SchemaBeforeUp)} with {Path.GetFileName(context.Artifacts.SchemaAfterRollback)} in {context.Artifacts.Directory}.");
    }
}
