using System.Globalization;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Traffic;

namespace FkHarness.Rehearsal.Stages;

/// <summary>--traffic: starts the synthetic writers right before the first migration and lets them write alone for the before-window.</summary>
internal sealed class StartTrafficStage(TrafficOptions options) : IRehearsalStage
{
    public string Name => "traffic";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var run = await TrafficRun.StartAsync(context.RequireDatabase().ConnectionString, options, cancellationToken);
        context.TrafficRun = run;
        context.BackgroundStops.Add(async () =>
        {
            context.Traffic ??= await run.AbortAsync();
            await run.DisposeAsync();
        });
        await run.BeforeWindowAsync(cancellationToken);
        return StageOutcome.Succeeded(string.Create(CultureInfo.InvariantCulture,
            $"{options.Rate} writes/s by {options.Writers} writers (application_name {TrafficOptions.ApplicationName}), {run.WritesSoFar} writes before the first migration ({options.WarmUp.TotalSeconds:0} s warm-up, {options.BeforeWindow.TotalSeconds:0} s measured)"));
    }
}
