using System.Globalization;
using FkHarness.Seeder.Generation;
using Npgsql;

namespace FkHarness.Seeder.Safety;

/// <summary>
/// Decides, inside the load's transaction, whether this database may be seeded: it must carry the
/// baseline's rehearsal marker, not be seeded yet, have every table and column the generators
/// write, and hold no application rows. <c>--force</c> waives the marker and emptiness checks,
/// never the schema check. The marker table is locked first, so two seeders cannot both pass.
/// </summary>
internal sealed class SeedTargetInspector(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    public const string MarkerTable = "fkharness.rehearsal";

    public async Task<TargetVerdict> InspectAsync(IReadOnlyList<ISeedTable> tables, bool force, CancellationToken cancellationToken)
    {
        var hasMarker = await ScalarAsync<bool>($"SELECT to_regclass('{MarkerTable}') IS NOT NULL", cancellationToken);
        if (hasMarker)
        {
            // Self-conflicting lock: a second seeder waits here, then sees seeded_at and refuses.
            await ExecuteAsync($"LOCK TABLE {MarkerTable} IN SHARE ROW EXCLUSIVE MODE", cancellationToken);
            var seededAt = await ScalarAsync<DateTime?>($"SELECT max(seeded_at) FROM {MarkerTable}", cancellationToken);
            if (seededAt is { } at && !force)
            {
                return TargetVerdict.Refuse(
                    $"This database was already seeded at {at.ToString("u", CultureInfo.InvariantCulture)}. " +
                    "Seed a fresh baseline database, or pass --force to replace its data.", hasMarker);
            }
        }
        else if (!force)
        {
            return TargetVerdict.Refuse(
                $"This database has no {MarkerTable} marker, so it was not prepared by the migrator's `baseline` command. " +
                "The seeder only writes into rehearsal databases; run `baseline` on an empty database first, or pass --force if you are sure.");
        }

        var mismatches = await new SchemaExpectation(connection, transaction).FindMismatchesAsync(tables, cancellationToken);
        if (mismatches.Count > 0)
        {
            return TargetVerdict.Mismatch(
                "The database does not have the schema the seeder writes (the pre-fix baseline, 000_pre_fix_schema.sql): " +
                string.Join("; ", mismatches) + ".", hasMarker);
        }

        var withData = await TablesWithDataAsync(tables, cancellationToken);
        if (withData.Count > 0 && !force)
        {
            return TargetVerdict.Refuse(
                $"This database already holds application data (in {string.Join(", ", withData)}). " +
                "The seeder only fills empty rehearsal databases; pass --force to replace the data.", hasMarker);
        }

        return TargetVerdict.Proceed(hasMarker, withData);
    }

    private async Task<List<string>> TablesWithDataAsync(IReadOnlyList<ISeedTable> tables, CancellationToken cancellationToken)
    {
        var sql = string.Join(" UNION ALL ",
            tables.Select(t => $"SELECT '{t.Name}' WHERE EXISTS (SELECT 1 FROM public.{t.Name})"));
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull or null ? default! : (T)value;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
