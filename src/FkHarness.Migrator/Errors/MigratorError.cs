namespace FkHarness.Migrator.Errors;

/// <summary>
/// An expected failure as a value: <see cref="Message"/> is one paragraph for a human (what failed,
/// where, PostgreSQL's message and SQLSTATE, what to do) and never holds a password.
/// </summary>
public sealed record MigratorError(MigratorErrorKind Kind, string Message)
{
    /// <summary>The script the failure happened in, when there was one.</summary>
    public string? Script { get; init; }

    /// <summary>PostgreSQL's SQLSTATE, when the server reported the failure.</summary>
    public string? SqlState { get; init; }

    public override string ToString() => Message;
}
