using FkHarness.Rehearsal.Pipeline;
using FkHarness.Seeder;
using FkHarness.Seeder.Progress;
using Microsoft.Extensions.Logging;

namespace FkHarness.Rehearsal.Stages;

/// <summary>Realistic data with the catalog's deliberate orphans, in-process through the seeder; its manifest is the ground truth verify checks against.</summary>
internal sealed class SeedStage(ILogger<SeedStage> logger) : IRehearsalStage
{
    public string Name => "seed";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        var options = new SeedOptions
        {
            ConnectionString = context.RequireDatabase().ConnectionString,
            Scale = context.Options.Scale,
            Seed = context.Options.Seed,
            OrphanRate = context.Options.OrphanRate,
            ManifestPath = context.Artifacts.Manifest,
        };
        var outcome = await DatabaseSeeder.SeedAsync(options, new LoggingSeedProgress(logger), cancellationToken);
        if (outcome.Result is not { } result)
        {
            var kind = outcome.Status == SeedStatus.InvalidOptions ? FailureKind.InvalidInput : FailureKind.Failed;
            return StageOutcome.Failed(outcome.Message ?? $"The seeder stopped: {outcome.Status}.", kind);
        }

        context.Seeded = result.Manifest;
        var orphans = result.Manifest.Findings.Sum(f => f.OrphanCount);
        return StageOutcome.Succeeded($"{result.TotalRows:N0} rows in {result.Tables.Count} tables ({result.RowsPerSecond:N0} rows/s), {orphans:N0} orphans planted");
    }
}
