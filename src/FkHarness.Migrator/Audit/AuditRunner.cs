using FkHarness.Migrator.Database;
using FkHarness.Migrator.Errors;
using FkHarness.Migrator.Scripts;
using FkHarness.Migrator.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FkHarness.Migrator.Audit;

/// <summary>
/// <c>audit</c>: runs 024 statement by statement on one session, as psql does, and reads every
/// result set of every statement. Not journaled: 024 changes nothing and can run any number of times.
/// </summary>
public sealed class AuditRunner(MigratorOptions? options = null, ILoggerFactory? loggerFactory = null)
{
    private readonly MigratorOptions _options = options ?? new MigratorOptions();
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AuditRunner>();

    public async Task<AuditResult> RunAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        MigrationScript? audit = null;
        try
        {
            var set = MigrationSet.Load(_options.MigrationsDirectory);
            audit = set.Audit ?? throw new MigrationSetException(
                $"{set.Directory} has no audit script (an NNN_title.sql that is not .up/.down, such as 024_comprehensive_fk_audit.sql).");
            await using var database = new MigratorDatabase(connectionString, _logger);
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            _logger.LogInformation("Running {Script} on {Database}", audit.FileName, database.Description);

            var sets = new AuditResultSetReader();
            var statements = PsqlStatementSplitter.Split(audit.Contents);
            for (var i = 0; i < statements.Count; i++)
            {
                try
                {
                    await RunStatementAsync(connection, statements[i], sets, cancellationToken);
                }
                catch (PostgresException e)
                {
                    StatementLocator.Remember(e, i);
                    throw;
                }
            }

            return new AuditResult
            {
                Succeeded = true,
                Relationships = [.. sets.Relationships.OrderBy(r => r.FindingId)],
                Constraints = sets.Constraints,
                IndexCoverage = sets.IndexCoverage,
                Database = database.Description,
                RanAt = DateTimeOffset.UtcNow,
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new AuditResult { Succeeded = false, Error = ErrorDescriber.Describe(e, "the audit", connectionString, audit) };
        }
    }

    private async Task RunStatementAsync(NpgsqlConnection connection, string statement, AuditResultSetReader sets, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(statement, connection);
        command.CommandTimeout = (int)(_options.CommandTimeout ?? TimeSpan.Zero).TotalSeconds;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        do
        {
            if (reader.FieldCount > 0 && !await sets.ReadAsync(reader, cancellationToken))
            {
                _logger.LogDebug("Skipped a result set of 024 with columns it does not know");
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
    }
}
