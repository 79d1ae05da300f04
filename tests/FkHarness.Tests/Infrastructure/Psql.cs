using CliWrap;
using CliWrap.Buffered;
using FkHarness.Provisioning;
using Npgsql;

namespace FkHarness.Tests.Infrastructure;

/// <summary>Runs SQL through psql exactly as the plan does: <c>psql -v ON_ERROR_STOP=1 -f FILE</c>.</summary>
public static class Psql
{
    public static Task<BufferedCommandResult> RunFileAsync(string connectionString, string file) =>
        RunAsync(connectionString, ["-v", "ON_ERROR_STOP=1", "-f", file]);

    public static Task<BufferedCommandResult> RunCommandAsync(string connectionString, string sql) =>
        RunAsync(connectionString, ["-v", "ON_ERROR_STOP=1", "-c", sql]);

    private static async Task<BufferedCommandResult> RunAsync(string connectionString, IEnumerable<string> arguments)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        // The password travels in the environment, never on a command line that ps can show.
        return await Cli.Wrap(PostgresBinaries.Locate().Psql)
            .WithArguments(["-X", "-q", .. arguments])
            .WithEnvironmentVariables(env => env
                .Set("PGHOST", target.Host)
                .Set("PGPORT", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("PGUSER", target.Username)
                .Set("PGPASSWORD", target.Password)
                .Set("PGDATABASE", target.Database)
                .Set("PGOPTIONS", target.Options))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
    }
}
