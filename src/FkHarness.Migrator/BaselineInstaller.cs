using DbUp.Engine;
using FkHarness.Migrator.Database;
using FkHarness.Migrator.Errors;
using FkHarness.Migrator.Execution;
using FkHarness.Migrator.Scripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FkHarness.Migrator;

/// <summary>
/// <c>baseline</c>: creates the pre-fix schema (baseline/000_pre_fix_schema.sql) in an empty
/// database. Refuses, changing nothing, when any schema or table it would create already exists:
/// the baseline is a fixture for throwaway databases, never something to lay over real data.
/// </summary>
public sealed class BaselineInstaller(MigratorOptions? options = null, ILoggerFactory? loggerFactory = null)
{
    private readonly MigratorOptions _options = options ?? new MigratorOptions();
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<BaselineInstaller>();

    public async Task<BaselineResult> InstallAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        MigrationScript? baseline = null;
        try
        {
            var set = MigrationSet.Load(_options.MigrationsDirectory);
            baseline = set.Baseline ?? throw new MigrationSetException(
                $"{set.Directory} has no {MigrationSet.BaselineRelativePath}; the baseline command needs it.");
            await using var database = new MigratorDatabase(connectionString, _logger);
            var existing = await FindExistingAsync(database, baseline, cancellationToken);
            if (existing.Count > 0)
            {
                return new BaselineResult
                {
                    Succeeded = false,
                    ExistingObjects = existing,
                    Error = new MigratorError(
                        MigratorErrorKind.InvalidInput,
                        $"Refusing to install the baseline into {database.Description}: it already has {Summarise(existing)}. " +
                        "The baseline is for an empty database; nothing was changed. Create a fresh database (createdb) and point --connection-string at it."),
                };
            }

            _logger.LogInformation("Installing {Script} into {Database}", baseline.Name, database.Description);
            var runner = new DbUpScriptRunner(database, _options, _logger);
            await runner.RunAsync(new SqlScript(baseline.Name, baseline.Contents), journaled: false, holds: null, baseline.FileName, cancellationToken);
            return new BaselineResult { Succeeded = true };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new BaselineResult { Succeeded = false, Error = ErrorDescriber.Describe(e, "installing the baseline", connectionString, baseline) };
        }
    }

    private static string Summarise(List<string> existing) =>
        existing.Count <= 5 ? string.Join(", ", existing) : $"{string.Join(", ", existing.Take(5))} and {existing.Count - 5} more";

    private static async Task<List<string>> FindExistingAsync(MigratorDatabase database, MigrationScript baseline, CancellationToken cancellationToken)
    {
        var (schemas, tables) = BaselineObjects.Read(baseline.Contents);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT 'schema ' || s FROM unnest($1::text[]) AS s WHERE EXISTS (SELECT FROM pg_namespace WHERE nspname = s)
            UNION ALL
            SELECT 'table ' || t FROM unnest($2::text[]) AS t WHERE to_regclass(t) IS NOT NULL
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. schemas] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. tables] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var existing = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            existing.Add(reader.GetString(0));
        }

        return existing;
    }
}
