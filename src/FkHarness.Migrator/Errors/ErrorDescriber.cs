using System.Net.Sockets;
using FkHarness.Catalog;
using FkHarness.Migrator.Scripts;
using Npgsql;

namespace FkHarness.Migrator.Errors;

/// <summary>
/// Turns an exception into the one paragraph a user reads: what failed, which script and line,
/// PostgreSQL's message with its SQLSTATE, and what to do. Every text passes the redactor, since
/// exception messages come from code we do not control.
/// </summary>
internal static class ErrorDescriber
{
    public static MigratorError Describe(Exception exception, string stage, string connectionString, MigrationScript? script = null)
    {
        var error = exception switch
        {
            MigratorFailureException failure => failure.Error,
            OperationCanceledException => new MigratorError(MigratorErrorKind.Cancelled, $"{Capitalise(stage)} was cancelled."),
            MigrationSetException e => new MigratorError(MigratorErrorKind.InvalidInput, e.Message),
            ArgumentException e => new MigratorError(MigratorErrorKind.InvalidInput, WithoutParameterName(e)),
            PostgresException e => DescribeServerError(e, stage, connectionString, script),
            NpgsqlException e when IsConnectFailure(e) => DescribeUnreachable(e, connectionString),
            _ => new MigratorError(MigratorErrorKind.Failed, $"{Capitalise(stage)} failed: {exception.Message}") { Script = script?.FileName },
        };

        return error with { Message = SecretRedactor.Redact(error.Message) };
    }

    private static MigratorError DescribeServerError(PostgresException e, string stage, string connectionString, MigrationScript? script)
    {
        var where = Describe(connectionString);
        return e.SqlState switch
        {
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => Input(
                $"Could not log in to {where}: {e.MessageText} (SQLSTATE {e.SqlState}). Check Username and Password in the connection string (or ConnectionStrings__fkdb)."),
            PostgresErrorCodes.InvalidCatalogName => Input(
                $"Could not connect to {where}: {e.MessageText} (SQLSTATE {e.SqlState}). Create the database first (createdb), or fix Database= in the connection string."),
            PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections => Input(
                $"Could not connect to {where}: {e.MessageText} (SQLSTATE {e.SqlState}). Wait until the server accepts connections and run the command again."),
            _ => new MigratorError(MigratorErrorKind.Failed, ScriptFailure(e, stage, script)) { Script = script?.FileName, SqlState = e.SqlState },
        };

        static MigratorError Input(string message) => new(MigratorErrorKind.InvalidInput, message);
    }

    private static string ScriptFailure(PostgresException e, string stage, MigrationScript? script)
    {
        var location = script is null ? "" : $" in {script.FileName}{StatementLocator.Describe(script, e)}";
        var extra = string.Concat(
            e.Detail is null ? "" : $" Detail: {e.Detail}.",
            e.Hint is null ? "" : $" Hint: {e.Hint}.",
            e.Where is null ? "" : $" Context: {OneLine(e.Where)}.");
        var advice = script is null
            ? "Fix the cause and run the command again."
            : "Fix the cause (the script or the data) and run the command again: the scripts are idempotent, so a rerun picks up where this one stopped.";
        return $"{Capitalise(stage)} failed{location}: {e.MessageText} (SQLSTATE {e.SqlState}).{extra} {advice}";
    }

    private static MigratorError DescribeUnreachable(NpgsqlException e, string connectionString)
    {
        var cause = e.InnerException?.Message ?? e.Message;
        return new MigratorError(
            MigratorErrorKind.InvalidInput,
            $"Could not connect to PostgreSQL at {Describe(connectionString)}: {OneLine(cause)}. Check that the server is running and that Host and Port in the connection string (or ConnectionStrings__fkdb) are right.");
    }

    private static bool IsConnectFailure(NpgsqlException e) =>
        e.InnerException is SocketException or TimeoutException or IOException
        || e.Message.StartsWith("Failed to connect", StringComparison.Ordinal);

    private static string Describe(string connectionString)
    {
        try
        {
            return FkdbConnectionString.Describe(connectionString);
        }
        catch (ArgumentException)
        {
            return "the configured server";
        }
    }

    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    private static string OneLine(string text) => string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Capitalise(string stage) => stage.Length == 0 ? stage : char.ToUpperInvariant(stage[0]) + stage[1..];
}
