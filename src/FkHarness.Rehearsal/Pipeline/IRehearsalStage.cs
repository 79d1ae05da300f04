namespace FkHarness.Rehearsal.Pipeline;

/// <summary>
/// One named step of a rehearsal. Reports an expected failure as a <see cref="StageOutcome"/>;
/// anything it throws is turned into one by the pipeline (with the password masked).
/// </summary>
internal interface IRehearsalStage
{
    string Name { get; }

    Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken);
}
