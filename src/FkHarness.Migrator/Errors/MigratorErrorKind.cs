namespace FkHarness.Migrator.Errors;

public enum MigratorErrorKind
{
    /// <summary>Bad input: connection string, unreachable server, login, missing database or folder, unknown target, non-empty database.</summary>
    InvalidInput,

    /// <summary>The work itself failed: a script error, drift, a lock that could not be had.</summary>
    Failed,

    /// <summary>The caller cancelled.</summary>
    Cancelled,
}
