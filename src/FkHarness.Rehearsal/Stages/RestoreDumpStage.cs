using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;
using FkHarness.Rehearsal.Resources;
using FkHarness.Catalog;
using Npgsql;

namespace FkHarness.Rehearsal.Stages;

/// <summary>
/// --from-dump: restores a <c>pg_dump -Fc</c> of staging into the fresh database instead of
/// baseline + seed, with its owners and grants, so that the migrations, run as the tables' owner
/// (<see cref="MigrationRoleStep"/>), meet the "must be owner" and permission errors staging would.
/// The roles the dump names and the server lacks are created first, NOLOGIN and with no attribute
/// or membership (a pg_dump holds none: those are global); what the dump grants them, the restore
/// grants. Any error stops the restore, since a half-restored copy would answer the question wrongly.
/// </summary>
internal sealed class RestoreDumpStage(PgClientTools tools) : IRehearsalStage
{
    public string Name => "restore";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var database = context.RequireDatabase();
        var dump = Path.GetFullPath(context.Options.FromDump!);
        var schema = await tools.PgRestoreAsync(database, ["--schema-only", "--file", "-", dump], cancellationToken);
        if (schema.ExitCode != 0)
        {
            return Failed(database, dump, schema.ExitCode, schema.StandardError);
        }

        context.CreatedRoles = await CreateMissingRolesAsync(database, DumpRoleNames.Parse(schema.StandardOutput), cancellationToken);

        var jobs = Math.Clamp(Environment.ProcessorCount, 1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await tools.PgRestoreAsync(database, ["--exit-on-error", "--jobs", jobs, "--dbname", database.Name, dump], cancellationToken);
        if (result.ExitCode != 0)
        {
            return Failed(database, dump, result.ExitCode, result.StandardError);
        }

        var roles = context.CreatedRoles.Count == 0 ? "" : $"; roles created for it (NOLOGIN): {string.Join(", ", context.CreatedRoles)}";
        return StageOutcome.Succeeded($"{Path.GetFileName(dump)} ({Sizes.Describe(new FileInfo(dump).Length)}) restored with its owners and grants{roles}");
    }

    private static async Task<IReadOnlyList<string>> CreateMissingRolesAsync(RehearsalDatabase database, IReadOnlyList<string> named, CancellationToken cancellationToken)
    {
        var created = new List<string>();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var identifier in named)
        {
            await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = @name)", connection);
            exists.Parameters.AddWithValue("name", DumpRoleNames.Unquote(identifier));
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                continue;
            }

            // The identifier is pg_dump's own, already quoted where it needs to be.
            await using var create = new NpgsqlCommand($"CREATE ROLE {identifier} NOLOGIN", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            created.Add(DumpRoleNames.Unquote(identifier));
        }

        return created;
    }

    private static StageOutcome Failed(RehearsalDatabase database, string dump, int exitCode, string standardError) =>
        StageOutcome.Failed(SecretRedactor.Redact(
            $"pg_restore could not restore {dump} into {database.Description} (exit code {exitCode}): {FirstLines(standardError)}. " +
            "Check that the file is a complete pg_dump -Fc dump made by PostgreSQL of this major version or older."));

    private static string FirstLines(string text) =>
        string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(4));
}
