namespace FkHarness.Rehearsal.Pipeline;

/// <summary>
/// One named step of a rehearsal. Reports an expected failure as a <see cref="StageOutcome"/>;
/// anything it throws is turned into one by the pipeline (with the password masked).
/// </summary>
internal interface IRehearsalStage
{
    string Name { get; }

    /// <summary>
    /// Whether the stage still runs after verify found failed checks (the rollback and its proof:
    /// a rollback is worth rehearsing most when the fix did not hold). Any other failure stops the rest.
    /// </summary>
    bool RunsAfterFailedChecks => false;

    Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken);
}
