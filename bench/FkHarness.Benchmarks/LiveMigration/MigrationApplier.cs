using System.Diagnostics;
using FkHarness.Catalog;
using FkHarness.Migrator;
using Npgsql;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>Applies 025 one of the compared ways and times it from the first statement to the last commit.</summary>
internal static class MigrationApplier
{
    public static async Task<MigrationAttempt> ApplyAsync(MigrationVariant variant, string connectionString, CancellationToken cancellationToken) =>
        variant == MigrationVariant.Migration025
            ? await MigratorAsync(connectionString, cancellationToken)
            : await LiteralAsync(connectionString, LiteralPlan.Statements(ForeignKeyCatalog.LoadEmbedded(), variant == MigrationVariant.LiteralLocked), cancellationToken);

    private static async Task<MigrationAttempt> MigratorAsync(string connectionString, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var result = await new UpgradeRunner().UpAsync(connectionString, to: "025", cancellationToken);
        return new MigrationAttempt(clock.Elapsed, result.Succeeded ? null : result.Error?.Message ?? "failed", result.LockWaits.Count);
    }

    private static async Task<MigrationAttempt> LiteralAsync(string connectionString, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return new MigrationAttempt(clock.Elapsed, null, 0);
        }
        catch (PostgresException e)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return new MigrationAttempt(clock.Elapsed, $"{e.SqlState}: {e.MessageText}", 0);
        }
    }
}
