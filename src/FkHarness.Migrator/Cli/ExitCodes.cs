namespace FkHarness.Migrator.Cli;

/// <summary>The migrator's exit codes, for scripts and CI.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The work failed: a script error, drift refused, a lock that could not be had.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or input: options, connection string, unreachable server, login, missing database or folder.</summary>
    public const int InvalidInput = 2;

    /// <summary><c>status</c> found an applied script whose text changed since.</summary>
    public const int Drift = 3;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
