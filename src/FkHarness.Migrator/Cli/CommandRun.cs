using System.CommandLine;
using FkHarness.Catalog;
using FkHarness.Migrator.Errors;
using Microsoft.Extensions.Logging;

namespace FkHarness.Migrator.Cli;

/// <summary>What every command does around its own work: find the connection string, log to stderr, turn an error into a paragraph and an exit code.</summary>
internal static class CommandRun
{
    public delegate Task<(int ExitCode, MigratorError? Error)> Body(string connectionString, MigratorOptions options, ILoggerFactory loggers, CancellationToken cancellationToken);

    public static async Task<int> RunAsync(ParseResult parseResult, CommonOptions common, Body body, CancellationToken cancellationToken)
    {
        var connectionString = FkdbConnectionString.Resolve(parseResult.GetValue(common.ConnectionString));
        if (connectionString is null)
        {
            await Console.Error.WriteLineAsync(
                $"No connection string: pass --connection-string \"Host=...;Port=...;Database=...;Username=...;Password=...\" or set {FkdbConnectionString.EnvironmentVariable}.");
            return ExitCodes.InvalidInput;
        }

        (int ExitCode, MigratorError? Error) outcome;
        var verbose = parseResult.GetValue(common.Verbose);
        using (var loggers = CliLogging.Create(verbose))
        {
            try
            {
                outcome = await body(connectionString, common.ToMigratorOptions(parseResult), loggers, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // The runners turn every failure they expect into a MigratorError; this is the net
                // under everything else, so a user never gets a bare stack trace (--verbose shows it).
                outcome = (ExitCodes.Failed, new MigratorError(MigratorErrorKind.Failed,
                    $"Unexpected error ({e.GetType().Name}): {e.Message}" + (verbose ? Environment.NewLine + e : " Run with --verbose for the details.")));
            }
        }

        // After the logger factory is disposed, so queued log lines come out before the error.
        if (outcome.Error is not null)
        {
            await Console.Error.WriteLineAsync(SecretRedactor.Redact(outcome.Error.Message));
        }

        return outcome.ExitCode;
    }

    public static int ExitCodeFor(MigratorError error) => error.Kind switch
    {
        MigratorErrorKind.InvalidInput => ExitCodes.InvalidInput,
        MigratorErrorKind.Cancelled => ExitCodes.Cancelled,
        _ => ExitCodes.Failed,
    };

    public static (int, MigratorError?) From(bool succeeded, MigratorError? error) =>
        succeeded || error is null ? (ExitCodes.Ok, null) : (ExitCodeFor(error), error);
}
