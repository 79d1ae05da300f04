using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.Commands;

/// <summary>What the process exit code means.</summary>
internal static class ExitCodes
{
    public const int Succeeded = 0;

    /// <summary>The rehearsal ran and something failed: a migration, a check, the rollback proof.</summary>
    public const int Failed = 1;

    /// <summary>Bad input or environment: an unknown option, a missing or corrupt dump, an unreachable server, a busy port, missing PostgreSQL binaries.</summary>
    public const int InvalidInput = 2;

    /// <summary>Stopped by Ctrl+C or SIGTERM (128 + SIGINT), after cleaning up.</summary>
    public const int Cancelled = 130;

    public static int For(IReadOnlyList<StageRecord> stages)
    {
        var verdict = RehearsalVerdict.From(stages);
        if (verdict.Succeeded)
        {
            return stages.Any(s => s.Status == StageStatus.Failed) ? Failed : Succeeded;
        }

        return verdict.Cancelled ? Cancelled
            : verdict.FailedStage!.Outcome.FailureKind == FailureKind.InvalidInput ? InvalidInput
            : Failed;
    }
}
