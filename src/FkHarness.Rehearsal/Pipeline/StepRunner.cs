using FkHarness.Rehearsal.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace FkHarness.Rehearsal.Pipeline;

/// <summary>
/// Runs one step's stages on a context the earlier steps filled, with the pipeline's rules: after
/// failed checks (verify) only the stages that still run then (the rollback and its proof) run, the
/// others are recorded skipped; after a failure or Ctrl+C nothing runs but teardown and the report.
/// </summary>
internal sealed class StepRunner(IServiceProvider services, TrafficSignals traffic, StopRequest stop)
{
    private readonly RehearsalPipeline pipeline = services.GetRequiredService<RehearsalPipeline>();

    /// <returns>True when the rehearsal ended with this step (the report step, a stage that failed or was cancelled, or a stop the AppHost asked for): teardown and the report have run.</returns>
    public async Task<bool> RunAsync(PlannedStep step, IReadOnlyList<PlannedStep> plan, RehearsalContext context, CancellationToken cancellationToken)
    {
        if (stop.Reason is { } reason)
        {
            // Ctrl+C reached the AppHost before this step started: its stages do not run, the rehearsal closes here.
            RecordCancelledBeforeNextStage(plan, context, reason);
            // Even with nothing left to cancel (every stage before teardown ran), the AppHost is stopping: --keep cannot hold.
            context.WasCancelled = true;
            await traffic.StopAsync();
            await CloseAsync(context);
            return true;
        }

        if (step.Name == RehearsalPlan.ReportStep)
        {
            await CloseAsync(context);
            return true;
        }

        if (Stopped(context) is { } stoppedBefore)
        {
            // Not started by the AppHost after a failed step; run by hand, it says why it did nothing.
            foreach (var stage in step.Stages(services))
            {
                pipeline.RecordSkipped(stage, context, $"not run: the rehearsal stopped at stage '{stoppedBefore.Name}'");
            }

            return true;
        }

        foreach (var stage in step.Stages(services))
        {
            var checksFailed = context.Stages.Any(s => s.Outcome.ChecksFailed);
            if (checksFailed && !stage.RunsAfterFailedChecks)
            {
                pipeline.RecordSkipped(stage, context, "not run: verify found failed checks");
                continue;
            }

            var record = await pipeline.RunStageAsync(stage, context, cancellationToken);
            if (record.Status is StageStatus.Failed or StageStatus.Cancelled && !record.Outcome.ChecksFailed)
            {
                await traffic.StopAsync();
                await CloseAsync(context);
                return true;
            }
        }

        if (IsLastMigration(step, plan))
        {
            await traffic.StopAsync();
        }

        return false;
    }

    /// <summary>Teardown and the report, once per rehearsal.</summary>
    private async Task CloseAsync(RehearsalContext context)
    {
        if (context.Teardown is null)
        {
            await pipeline.RunClosingAsync(RehearsalPlan.Closing(services), context);
        }
    }

    /// <summary>
    /// The first stage of the plan that has no record yet is the one the stop came before: it is
    /// recorded cancelled, naming the step after which the rehearsal stopped. Nothing is recorded
    /// when the rehearsal had stopped already, or when every stage but teardown and the report ran.
    /// </summary>
    private void RecordCancelledBeforeNextStage(IReadOnlyList<PlannedStep> plan, RehearsalContext context, string reason)
    {
        if (Stopped(context) is not null)
        {
            return;
        }

        var recorded = context.Stages.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var steps = plan.Where(s => s.Name != RehearsalPlan.ReportStep).ToList();
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Stages(services).FirstOrDefault(s => !recorded.Contains(s.Name)) is { } next)
            {
                var after = i == 0 ? "before its first step" : $"after step '{steps[i - 1].Name}'";
                pipeline.RecordCancelled(next, context, $"Cancelled ({reason}) {after}, before this stage started.");
                return;
            }
        }
    }

    private static StageRecord? Stopped(RehearsalContext context) =>
        context.Stages.FirstOrDefault(s => s.Status == StageStatus.Cancelled || (s.Status == StageStatus.Failed && !s.Outcome.ChecksFailed));

    private static bool IsLastMigration(PlannedStep step, IReadOnlyList<PlannedStep> plan) =>
        step.Name.StartsWith("migrate-", StringComparison.Ordinal) && plan.Last(s => s.Name.StartsWith("migrate-", StringComparison.Ordinal)) == step;
}
