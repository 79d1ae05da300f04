using System.Diagnostics;
using FkHarness.Rehearsal.Progress;
using FkHarness.Catalog;
using Microsoft.Extensions.Logging;

namespace FkHarness.Rehearsal.Pipeline;

/// <summary>
/// Runs the stages in order, timing each; the first that fails or is cancelled stops the rest,
/// except that failed checks (verify) still let the rollback stages run: the verdict stays failed.
/// The closing stages (teardown, report) run whatever happened, each with its own time limit, so
/// Ctrl+C or a failure still removes what was provisioned and leaves a report naming the stage.
/// </summary>
internal sealed class RehearsalPipeline(
    IReadOnlyList<IRehearsalStage> stages,
    IReadOnlyList<IRehearsalStage> closing,
    IRehearsalProgress progress,
    ILogger<RehearsalPipeline> logger)
{
    private static readonly TimeSpan ClosingStageLimit = TimeSpan.FromMinutes(2);

    public IReadOnlyList<string> StageNames => [.. stages.Concat(closing).Select(s => s.Name)];

    public async Task RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var checksFailed = false;
        foreach (var stage in stages)
        {
            if (checksFailed && !stage.RunsAfterFailedChecks)
            {
                continue;
            }

            var record = await RunStageAsync(stage, context, cancellationToken);
            if (record.Status == StageStatus.Failed && record.Outcome.ChecksFailed && !checksFailed)
            {
                checksFailed = true;
            }
            else if (record.Status is StageStatus.Failed or StageStatus.Cancelled)
            {
                break;
            }
        }

        await StopBackgroundWorkAsync(context);
        await RunClosingAsync(closing, context);
    }

    /// <summary>Teardown and report: each with its own time limit, whatever happened before (Ctrl+C included).</summary>
    public async Task RunClosingAsync(IEnumerable<IRehearsalStage> closingStages, RehearsalContext context)
    {
        foreach (var stage in closingStages)
        {
            using var limit = new CancellationTokenSource(ClosingStageLimit);
            await RunStageAsync(stage, context, limit.Token);
        }
    }

    /// <summary>Work a stage started beside the later ones (the traffic writers), when the stage meant to stop it did not run: stopped before teardown.</summary>
    private async Task StopBackgroundWorkAsync(RehearsalContext context)
    {
        foreach (var stop in context.BackgroundStops)
        {
            try
            {
                await stop();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogDebug(e, "Stopping background work threw");
            }
        }
    }

    /// <summary>Runs one stage, timed, and records how it ended in the context; never throws (but for out of memory).</summary>
    public async Task<StageRecord> RunStageAsync(IRehearsalStage stage, RehearsalContext context, CancellationToken cancellationToken)
    {
        progress.StageStarted(stage.Name);
        logger.LogDebug("Stage {Stage} started", stage.Name);
        using var activity = RehearsalTelemetry.Source.StartActivity($"stage {stage.Name}");
        var startedAt = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        StageOutcome outcome;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            outcome = await stage.RunAsync(context, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever a cancelled stage throws (Npgsql may end a COPY with its own exception), it was cancelled.
            context.WasCancelled = true;
            outcome = StageOutcome.Cancelled();
        }
        catch (StageFailedException e)
        {
            outcome = StageOutcome.Failed(e.Message, e.Kind);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The stack trace goes to the log file only; the console gets one paragraph.
            logger.LogDebug(e, "Stage {Stage} threw", stage.Name);
            outcome = StageOutcome.Failed($"Stage '{stage.Name}' failed unexpectedly: {e.GetType().Name}: {e.Message}");
        }

        outcome = outcome with { Error = Redact(outcome.Error), Summary = Redact(outcome.Summary) };
        var record = new StageRecord(stage.Name, outcome, watch.Elapsed) { StartedAt = startedAt };
        context.Stages.Add(record);
        RehearsalTelemetry.Record(activity, record);
        Log(record);
        progress.StageFinished(record);
        return record;
    }

    /// <summary>A stage that does not run (after failed checks, or after the rehearsal already stopped), recorded as skipped.</summary>
    public StageRecord RecordSkipped(IRehearsalStage stage, RehearsalContext context, string reason)
    {
        var record = new StageRecord(stage.Name, StageOutcome.Skipped(reason), TimeSpan.Zero) { StartedAt = DateTimeOffset.UtcNow };
        context.Stages.Add(record);
        Log(record);
        progress.StageFinished(record);
        return record;
    }

    /// <summary>A stage that never started because the rehearsal was stopped before it (Ctrl+C between two steps), recorded as cancelled.</summary>
    public StageRecord RecordCancelled(IRehearsalStage stage, RehearsalContext context, string error)
    {
        context.WasCancelled = true;
        var record = new StageRecord(stage.Name, StageOutcome.Cancelled() with { Error = error }, TimeSpan.Zero) { StartedAt = DateTimeOffset.UtcNow };
        context.Stages.Add(record);
        Log(record);
        progress.StageFinished(record);
        return record;
    }

    private void Log(StageRecord record)
    {
        if (record.Status == StageStatus.Failed)
        {
            logger.LogError("Stage {Stage} failed after {Seconds:0.00} s: {Error}", record.Name, record.Duration.TotalSeconds, record.Outcome.Error);
        }
        else
        {
            logger.LogDebug("Stage {Stage} {Status} in {Seconds:0.00} s: {Summary}", record.Name, record.Status, record.Duration.TotalSeconds, record.Outcome.Summary ?? record.Outcome.Error);
        }
    }

    private static string? Redact(string? text) => text is null ? null : SecretRedactor.Redact(text);
}
