using Microsoft.Extensions.Configuration;
using Npgsql;

namespace FkHarness.Catalog;

/// <summary>
/// Where the harness's programs find their database: <c>--connection-string</c>, or the Aspire
/// convention <c>ConnectionStrings:fkdb</c> (environment variable <c>ConnectionStrings__fkdb</c>).
/// </summary>
public static class FkdbConnectionString
{
    public const string Name = "fkdb";
    public const string EnvironmentVariable = "ConnectionStrings__fkdb";

    /// <summary>The option's value when given, otherwise the configured one, otherwise null.</summary>
    public static string? Resolve(string? fromOption)
    {
        if (!string.IsNullOrWhiteSpace(fromOption))
        {
            return fromOption;
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var configured = configuration.GetConnectionString(Name);
        return string.IsNullOrWhiteSpace(configured) ? null : configured;
    }

    /// <summary>Parses a connection string, turning Npgsql's terse complaint into one a user can act on.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(
                $"The connection string is not valid ({e.Message}). Expected the form Host=...;Port=...;Database=...;Username=...;Password=...",
                nameof(connectionString), e);
        }
    }

    /// <summary>The connection string with its password masked: the only form that may be logged.</summary>
    public static string Redact(string connectionString)
    {
        var builder = Parse(connectionString);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = "***";
        }

        return builder.ConnectionString;
    }

    /// <summary>"host:port/database as user", for messages.</summary>
    public static string Describe(string connectionString)
    {
        var builder = Parse(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
    }
}
