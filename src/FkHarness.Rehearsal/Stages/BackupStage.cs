using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;
using FkHarness.Catalog;

namespace FkHarness.Rehearsal.Stages;

/// <summary>The plan's Step 2, done for real: <c>pg_dump -Fc</c> of the database into the artifacts folder.</summary>
internal sealed class BackupStage(PgClientTools tools) : IRehearsalStage
{
    public string Name => "backup";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var database = context.RequireDatabase();
        var path = context.Artifacts.BackupFor(DateTimeOffset.UtcNow);
        var result = await tools.PgDumpAsync(database, ["-Fc", "-f", path], cancellationToken);
        if (result.ExitCode != 0)
        {
            return StageOutcome.Failed(SecretRedactor.Redact(
                $"pg_dump -Fc of {database.Description} failed (exit code {result.ExitCode}): {result.StandardError.Trim()}"));
        }

        context.Backup = new BackupFile(path, new FileInfo(path).Length);
        return StageOutcome.Succeeded($"{Path.GetFileName(path)} ({Sizes.Describe(context.Backup.Bytes)})");
    }
}
