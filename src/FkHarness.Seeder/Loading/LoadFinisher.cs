using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Safety;
using Npgsql;

namespace FkHarness.Seeder.Loading;

/// <summary>
/// The statements around the COPYs, all in the load's transaction: clearing a forced target,
/// moving identity sequences past the copied ids, fresh statistics, and the rehearsal marker.
/// </summary>
internal sealed class LoadFinisher(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    /// <summary>Only with --force on a database that holds data: replaced, not merged (ids would collide).</summary>
    public Task TruncateAsync(IReadOnlyList<ISeedTable> tables, CancellationToken cancellationToken) =>
        ExecuteAsync($"TRUNCATE {string.Join(", ", tables.Select(t => "public." + t.Name))} RESTART IDENTITY", cancellationToken);

    /// <summary>
    /// COPY with explicit ids does not move an identity's sequence: without this the application's
    /// next INSERT would get id 1 and fail on the primary key.
    /// </summary>
    public Task AdvanceIdentitiesAsync(IReadOnlyList<ISeedTable> tables, CancellationToken cancellationToken) =>
        ExecuteAsync(string.Join(";\n", tables.Select(t =>
            $"SELECT setval(pg_get_serial_sequence('public.{t.Name}', 'id'), COALESCE((SELECT max(id) FROM public.{t.Name}), 0) + 1, false)")),
            cancellationToken);

    /// <summary>The audit and the migrations run right after seeding; without statistics their plans guess.</summary>
    public Task AnalyzeAsync(IReadOnlyList<ISeedTable> tables, CancellationToken cancellationToken) =>
        ExecuteAsync($"ANALYZE {string.Join(", ", tables.Select(t => "public." + t.Name))}", cancellationToken);

    public Task MarkSeededAsync(CancellationToken cancellationToken) =>
        ExecuteAsync($"UPDATE {SeedTargetInspector.MarkerTable} SET seeded_at = now()", cancellationToken);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
