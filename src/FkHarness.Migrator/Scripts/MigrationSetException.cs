namespace FkHarness.Migrator.Scripts;

/// <summary>A migrations folder that cannot be used as it is: missing, or with a script missing its twin.</summary>
public sealed class MigrationSetException : Exception
{
    public MigrationSetException()
    {
    }

    public MigrationSetException(string message)
        : base(message)
    {
    }

    public MigrationSetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
