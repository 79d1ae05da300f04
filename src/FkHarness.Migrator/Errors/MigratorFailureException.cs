namespace FkHarness.Migrator.Errors;

/// <summary>Carries an already-described <see cref="MigratorError"/> out of deep code to the runner that returns it.</summary>
internal sealed class MigratorFailureException(MigratorError error) : Exception(error.Message)
{
    public MigratorError Error { get; } = error;
}
