using System.Net.Sockets;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Catalog;
using Npgsql;

namespace FkHarness.Rehearsal.Resources;

/// <summary>Turns a failed connection to an existing server into a message that says what to fix.</summary>
internal static class ServerConnectionError
{
    public static StageFailedException Describe(Exception exception, string connectionString)
    {
        var where = FkdbConnectionString.Describe(connectionString);
        var message = exception switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } e =>
                $"Could not log in to {where}: {e.MessageText} (SQLSTATE {e.SqlState}). Check Username and Password in --connection-string (or ConnectionStrings__fkdb).",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } e =>
                $"Could not connect to {where}: {e.MessageText} (SQLSTATE {e.SqlState}). The rehearsal only needs a database to connect to while it creates its own: fix Database= or leave it out (it then uses 'postgres').",
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } e =>
                $"The user on {where} may not create databases: {e.MessageText} (SQLSTATE {e.SqlState}). The rehearsal creates a fresh database of its own and drops it at the end; use a user with CREATEDB (ALTER ROLE ... CREATEDB), or leave out --connection-string to use a throwaway cluster.",
            PostgresException e =>
                $"The server at {where} refused: {e.MessageText} (SQLSTATE {e.SqlState}).",
            NpgsqlException { InnerException: SocketException or TimeoutException or IOException } e =>
                $"Could not connect to PostgreSQL at {where}: {OneLine(e.InnerException!.Message)}. Check that the server is running and that Host and Port in --connection-string (or ConnectionStrings__fkdb) are right, or leave it out to rehearse on a throwaway cluster.",
            TimeoutException e =>
                $"Could not connect to PostgreSQL at {where}: {OneLine(e.Message)}. Check that the server is running and reachable from here.",
            _ => $"Could not use the server at {where}: {OneLine(exception.Message)}.",
        };

        return new StageFailedException(SecretRedactor.Redact(message), FailureKind.InvalidInput);
    }

    private static string OneLine(string text) =>
        string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
