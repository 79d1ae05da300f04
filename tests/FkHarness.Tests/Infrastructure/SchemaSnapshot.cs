using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using FkHarness.Provisioning;
using Npgsql;

namespace FkHarness.Tests.Infrastructure;

/// <summary>pg_dump --schema-only of the application schema, without comments and blank lines.</summary>
public static partial class SchemaSnapshot
{
    public static async Task<string> TakeAsync(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var result = await Cli.Wrap(PostgresBinaries.Locate().PgDump)
            .WithArguments(["--schema-only", "--schema=public", "--no-owner", "--no-privileges", "-d", target.Database!])
            .WithEnvironmentVariables(env => env
                .Set("PGHOST", target.Host)
                .Set("PGPORT", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("PGUSER", target.Username)
                .Set("PGPASSWORD", target.Password))
            .ExecuteBufferedAsync();
        var lines = result.StandardOutput.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith("--", StringComparison.Ordinal))
            // pg_dump's \restrict / \unrestrict guard lines carry a random key per dump.
            .Where(line => !line.StartsWith("\\restrict", StringComparison.Ordinal) && !line.StartsWith("\\unrestrict", StringComparison.Ordinal));
        return Whitespace().Replace(string.Join('\n', lines), " ");
    }

    [GeneratedRegex("[ \\t]+")]
    private static partial Regex Whitespace();
}
