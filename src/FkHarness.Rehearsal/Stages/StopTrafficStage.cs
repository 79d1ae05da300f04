using System.Globalization;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Traffic;
using FkHarness.Rehearsal.Verification;

namespace FkHarness.Rehearsal.Stages;

/// <summary>
/// --traffic, after the last migration: stops the writers, checks by key that every committed
/// valid write is there, removes their rows (so verify and the rollback proof see the data as
/// seeded), and adds the traffic's checks, which verify then counts with its own.
/// </summary>
internal sealed class StopTrafficStage : IRehearsalStage
{
    public string Name => "stop traffic";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        if (context.TrafficRun is not { } run)
        {
            return StageOutcome.Skipped("no traffic was started");
        }

        var result = await run.StopAsync(cancellationToken);
        context.Traffic = result;
        await run.DisposeAsync();
        var checks = TrafficChecks.For(result).ToList();
        context.Checks.AddRange(checks);
        var failed = checks.Count(c => c.Outcome == CheckOutcome.Failed);
        var removed = result.RowsRemoved.Values.Sum();
        var verdict = failed == 0 ? "every traffic check passed" : string.Create(CultureInfo.InvariantCulture, $"{failed} traffic checks failed (verify counts them)");
        return StageOutcome.Succeeded(string.Create(CultureInfo.InvariantCulture,
            $"{result.Samples.Count} writes, {result.FailuresBySqlState.GetValueOrDefault("23503")} rejected with 23503; {verdict}; {removed} traffic rows removed"));
    }
}
