namespace FkHarness.Rehearsal.Pipeline;

/// <summary>Why a stage failed; decides the exit code.</summary>
internal enum FailureKind
{
    /// <summary>Something the user gave or has: a missing dump, an unreachable server, a busy port, missing binaries.</summary>
    InvalidInput,

    /// <summary>The rehearsal itself went wrong: a script failed, a check did not hold.</summary>
    Failed,
}
