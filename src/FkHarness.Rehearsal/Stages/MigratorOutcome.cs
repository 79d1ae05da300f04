using FkHarness.Rehearsal.Pipeline;
using FkHarness.Migrator.Errors;

namespace FkHarness.Rehearsal.Stages;

/// <summary>Maps the migrator's errors-as-values onto stage outcomes.</summary>
internal static class MigratorOutcome
{
    public static StageOutcome Failed(MigratorError? error, string fallback)
    {
        if (error?.Kind == MigratorErrorKind.Cancelled)
        {
            // Let the pipeline record it the way it records every cancellation.
            throw new OperationCanceledException(error.Message);
        }

        return StageOutcome.Failed(error?.Message ?? fallback, error?.Kind == MigratorErrorKind.InvalidInput ? FailureKind.InvalidInput : FailureKind.Failed);
    }
}
