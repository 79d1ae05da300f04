using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using FkHarness.Provisioning;
using Npgsql;

namespace FkHarness.Benchmarks.Infrastructure;

/// <summary>Runs a SQL file as the plan does, <c>psql -v ON_ERROR_STOP=1 -f FILE</c>, and times it.</summary>
internal static class PsqlFile
{
    public static async Task<PsqlOutcome> RunAsync(PostgresBinaries binaries, string connectionString, string file, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var clock = Stopwatch.StartNew();
        // The password travels in the environment, never on a command line that ps can show.
        var result = await Cli.Wrap(binaries.Psql)
            .WithArguments(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file])
            .WithEnvironmentVariables(env => env
                .Set("PGHOST", target.Host)
                .Set("PGPORT", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("PGUSER", target.Username)
                .Set("PGPASSWORD", target.Password)
                .Set("PGDATABASE", target.Database))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        return new PsqlOutcome(result.ExitCode, result.StandardError, clock.Elapsed);
    }
}
