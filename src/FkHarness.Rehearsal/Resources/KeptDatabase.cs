namespace FkHarness.Rehearsal.Resources;

/// <summary>
/// How to reach a database left running with --keep. Never the password itself: where to find it
/// (<see cref="PasswordSource"/>), and for a throwaway cluster two 0600 files holding it.
/// </summary>
internal sealed record KeptDatabase
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public required string Database { get; init; }
    public required string Username { get; init; }

    /// <summary>Where the password is: a file, or "the one in your --connection-string".</summary>
    public required string PasswordSource { get; init; }

    /// <summary>A libpq password file (host:port:db:user:password), mode 0600; for PGPASSFILE.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>A file with <c>ConnectionStrings__fkdb=…</c>, mode 0600, to source before running the migrator or seeder.</summary>
    public string? EnvironmentFile { get; init; }

    /// <summary>The command that stops the server and removes it, or drops the database.</summary>
    public required string RemoveCommand { get; init; }
}
