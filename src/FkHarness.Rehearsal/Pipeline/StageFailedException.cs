namespace FkHarness.Rehearsal.Pipeline;

/// <summary>Thrown deep inside a stage for an expected failure whose message is already fit for a user.</summary>
internal sealed class StageFailedException : Exception
{
    public StageFailedException() { }

    public StageFailedException(string message) : base(message) { }

    public StageFailedException(string message, Exception inner) : base(message, inner) { }

    public StageFailedException(string message, FailureKind kind) : base(message) => Kind = kind;

    public FailureKind Kind { get; } = FailureKind.Failed;
}
