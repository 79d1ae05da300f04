using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;
using FkHarness.Catalog;

namespace FkHarness.Rehearsal.Stages;

/// <summary>
/// --from-dump: restores a <c>pg_dump -Fc</c> of staging into the fresh database instead of
/// baseline + seed. Owners and grants are left out (the roles of staging do not exist here); any
/// other error stops the restore, since a half-restored copy would answer the question wrongly.
/// </summary>
internal sealed class RestoreDumpStage(PgClientTools tools) : IRehearsalStage
{
    public string Name => "restore";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var database = context.RequireDatabase();
        var dump = Path.GetFullPath(context.Options.FromDump!);
        var jobs = Math.Clamp(Environment.ProcessorCount, 1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await tools.PgRestoreAsync(database,
            ["--no-owner", "--no-privileges", "--exit-on-error", "--jobs", jobs, "--dbname", database.Name, dump], cancellationToken);
        if (result.ExitCode != 0)
        {
            return StageOutcome.Failed(SecretRedactor.Redact(
                $"pg_restore could not restore {dump} into {database.Description} (exit code {result.ExitCode}): {FirstLines(result.StandardError)}. " +
                "Check that the file is a complete pg_dump -Fc dump made by PostgreSQL of this major version or older."));
        }

        return StageOutcome.Succeeded($"{Path.GetFileName(dump)} ({Sizes.Describe(new FileInfo(dump).Length)}) restored");
    }

    private static string FirstLines(string text) =>
        string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(4));
}
