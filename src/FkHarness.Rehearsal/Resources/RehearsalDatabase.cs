using System.Globalization;
using FkHarness.Catalog;
using Npgsql;

namespace FkHarness.Rehearsal.Resources;

/// <summary>
/// The rehearsal's database: the resource Aspire would call <c>fkdb</c>. Its connection string is
/// what <c>ConnectionStrings:fkdb</c> holds for the migrator and the seeder; it is a secret, so
/// everything shown to a user uses <see cref="Description"/>.
/// </summary>
internal sealed record RehearsalDatabase
{
    public const string ResourceName = FkdbConnectionString.Name;

    public required string ConnectionString { get; init; }

    /// <summary>"throwaway cluster" or "existing server".</summary>
    public required string Provider { get; init; }

    public string Host => Builder.Host ?? "localhost";

    public int Port => Builder.Port;

    public string Name => Builder.Database ?? "";

    public string Username => Builder.Username ?? "";

    /// <summary>"host:port/database as user": never the password.</summary>
    public string Description => FkdbConnectionString.Describe(ConnectionString);

    private NpgsqlConnectionStringBuilder Builder => new(ConnectionString);

    /// <summary>libpq's variables for pg_dump and pg_restore: the password travels here, never on a command line.</summary>
    public IReadOnlyDictionary<string, string?> LibpqEnvironment()
    {
        var builder = Builder;
        return new Dictionary<string, string?>
        {
            ["PGHOST"] = builder.Host,
            ["PGPORT"] = builder.Port.ToString(CultureInfo.InvariantCulture),
            ["PGDATABASE"] = builder.Database,
            ["PGUSER"] = builder.Username,
            ["PGPASSWORD"] = builder.Password,
            // The AppHost's resources carry a password file, never the password itself.
            ["PGPASSFILE"] = builder.Passfile,
            ["PGSSLMODE"] = builder.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Allow => "allow",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                _ => "prefer",
            },
            ["PGCONNECT_TIMEOUT"] = "15",
        };
    }
}
