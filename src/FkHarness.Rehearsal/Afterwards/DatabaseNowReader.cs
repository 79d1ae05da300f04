using FkHarness.Catalog;
using FkHarness.Migrator;
using FkHarness.Migrator.Audit;
using FkHarness.Rehearsal.Verification;
using Npgsql;

namespace FkHarness.Rehearsal.Afterwards;

/// <summary>Reads <see cref="DatabaseNow"/>: the journal through the migrator's status, the catalog's objects from the system catalogs, 024 through the audit runner.</summary>
internal sealed class DatabaseNowReader(MigrationStatusReader status, AuditRunner audit, ForeignKeyCatalog catalog)
{
    public async Task<DatabaseNow> ReadAsync(string connectionString, bool withAudit, CancellationToken cancellationToken)
    {
        var readAt = DateTimeOffset.UtcNow;
        var journal = await status.ReadAsync(connectionString, cancellationToken);
        var foreignKeys = catalog.TextForeignKeys.Select(f => f.ConstraintName!).ToArray();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var present = await NamesAsync(connection,
            "SELECT DISTINCT conname, convalidated FROM pg_constraint WHERE contype = 'f' AND conname = ANY(@names) ORDER BY 1", foreignKeys, cancellationToken);
        // 026's triggers: the four columns' own and those guarding the referenced tables (users, alert_conditions).
        var presentTriggers = await NamesAsync(connection,
            @"SELECT DISTINCT tgname, true FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'trg\_check\_%' ORDER BY 1", [], cancellationToken);
        long quarantined = 0;
        if (await QuarantineReader.ExistsAsync(connection, cancellationToken))
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {QuarantineReader.Table}", connection);
            quarantined = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        return new DatabaseNow
        {
            ReadAt = readAt,
            Applied = journal.Succeeded ? [.. journal.Migrations.Where(m => m.Applied).Select(m => m.Version)] : [],
            ForeignKeys = [.. present.Select(p => p.Name)],
            ValidatedForeignKeys = [.. present.Where(p => p.Flag).Select(p => p.Name)],
            Triggers = [.. presentTriggers.Select(p => p.Name)],
            QuarantinedRows = quarantined,
            Audit = withAudit ? await audit.RunAsync(connectionString, cancellationToken) : null,
        };
    }

    private static async Task<List<(string Name, bool Flag)>> NamesAsync(NpgsqlConnection connection, string sql, string[] names, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("names", names);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<(string, bool)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return found;
    }
}
