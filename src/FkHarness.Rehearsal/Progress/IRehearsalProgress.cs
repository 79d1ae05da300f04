using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.Progress;

/// <summary>Where the pipeline reports stages as they start and end: a live display on a terminal, plain lines otherwise.</summary>
internal interface IRehearsalProgress
{
    void StageStarted(string stage);

    void StageFinished(StageRecord record);
}
