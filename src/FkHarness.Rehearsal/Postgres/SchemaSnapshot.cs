using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Resources;
using FkHarness.Catalog;

namespace FkHarness.Rehearsal.Postgres;

/// <summary>
/// The application schema (schema public) as pg_dump --schema-only writes it, normalised so two
/// dumps of the same schema compare equal: comments, SET lines, psql's \restrict guards (random
/// per dump since 15.14) and blank lines go.
/// </summary>
internal static class SchemaSnapshot
{
    public static async Task<string> TakeAsync(PgClientTools tools, RehearsalDatabase database, CancellationToken cancellationToken)
    {
        var result = await tools.PgDumpAsync(database, ["--schema-only", "--schema=public", "--no-owner", "--no-privileges"], cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new StageFailedException(SecretRedactor.Redact(
                $"pg_dump --schema-only of {database.Description} failed (exit code {result.ExitCode}): {result.StandardError.Trim()}"));
        }

        return Normalise(result.StandardOutput);
    }

    public static string Normalise(string dump)
    {
        var lines = dump.Split('\n')
            .Select(l => l.TrimEnd())
            .Where(l => l.Length > 0
                && !l.StartsWith("--", StringComparison.Ordinal)
                && !l.StartsWith("SET ", StringComparison.Ordinal)
                && !l.StartsWith("SELECT pg_catalog.set_config", StringComparison.Ordinal)
                && !l.StartsWith("\\restrict", StringComparison.Ordinal)
                && !l.StartsWith("\\unrestrict", StringComparison.Ordinal));
        return string.Join('\n', lines) + "\n";
    }
}
