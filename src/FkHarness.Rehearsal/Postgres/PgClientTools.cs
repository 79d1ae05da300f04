using CliWrap;
using CliWrap.Buffered;
using FkHarness.Provisioning;
using FkHarness.Rehearsal.Resources;

namespace FkHarness.Rehearsal.Postgres;

/// <summary>
/// pg_dump and pg_restore of this machine's PostgreSQL. The connection travels in libpq's
/// environment variables, so the password never appears on a command line that ps could show.
/// </summary>
internal sealed class PgClientTools(PostgresBinaries binaries)
{
    public Task<BufferedCommandResult> PgDumpAsync(RehearsalDatabase database, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(binaries.PgDump, arguments, database, cancellationToken);

    public Task<BufferedCommandResult> PgRestoreAsync(RehearsalDatabase? database, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(binaries.PgRestore, arguments, database, cancellationToken);

    private static async Task<BufferedCommandResult> RunAsync(string program, IEnumerable<string> arguments, RehearsalDatabase? database, CancellationToken cancellationToken) =>
        await Cli.Wrap(program)
            .WithArguments(arguments)
            .WithEnvironmentVariables(env =>
            {
                foreach (var (name, value) in database?.LibpqEnvironment() ?? new Dictionary<string, string?>())
                {
                    env.Set(name, value);
                }
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
}
