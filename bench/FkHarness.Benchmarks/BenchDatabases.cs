using Npgsql;

namespace FkHarness.Benchmarks;

/// <summary>Fresh baseline databases on the benchmark's server.</summary>
internal sealed class BenchDatabases(Func<string, string> connectionStringFor)
{
    // The migrator ships the SQL beside its binary; the benchmark references the migrator, so it is here too.
    private static string BaselineFile => Path.Combine(AppContext.BaseDirectory, "migrations", "baseline", "000_pre_fix_schema.sql");

    public string ConnectionStringFor(string database) => connectionStringFor(database);

    public async Task<string> CreateBaselineAsync(string name, CancellationToken cancellationToken)
    {
        await using (var admin = new NpgsqlConnection(Unpooled(connectionStringFor("postgres"))))
        {
            await admin.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var connectionString = Unpooled(connectionStringFor(name));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var baseline = new NpgsqlCommand(await File.ReadAllTextAsync(BaselineFile, cancellationToken), connection);
        await baseline.ExecuteNonQueryAsync(cancellationToken);
        return connectionString;
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
