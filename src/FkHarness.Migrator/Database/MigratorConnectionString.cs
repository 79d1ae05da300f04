using FkHarness.Catalog;

namespace FkHarness.Migrator.Database;

/// <summary>The settings every migrator connection gets, whatever the caller's connection string says.</summary>
internal static class MigratorConnectionString
{
    public const string ApplicationName = "fkharness-migrator";

    /// <summary>
    /// How often (ms) the server checks that the client is still there while a statement runs:
    /// a migrator killed mid-VALIDATE must not leave a session holding locks until the scan ends.
    /// </summary>
    public const int ClientCheckIntervalMs = 1000;

    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    public static string Prepare(string connectionString)
    {
        var builder = FkdbConnectionString.Parse(connectionString);
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException("The connection string names no Host. Expected the form Host=...;Port=...;Database=...;Username=...;Password=...", nameof(connectionString));
        }

        // No pooling: a migrator session's state (SET, temp tables, an aborted transaction) must
        // die with the run instead of being handed to the next one.
        builder.Pooling = false;
        builder.ApplicationName = ApplicationName;
        var check = $"-c client_connection_check_interval={ClientCheckIntervalMs}";
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? check : $"{builder.Options} {check}";
        return builder.ConnectionString;
    }
}
