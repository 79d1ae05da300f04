using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;
using FkHarness.Rehearsal.Progress;
using FkHarness.Rehearsal.Resources;
using FkHarness.Rehearsal.Stages;
using FkHarness.Migrator;
using FkHarness.Migrator.Audit;
using FkHarness.Migrator.Scripts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FkHarness.Rehearsal.Hosting;

/// <summary>
/// The rehearsal, declared: which named stages run, in which order, for these options. One up
/// stage per migration of the set, and with --rollback one down stage per migration, newest first.
/// </summary>
internal static class RehearsalPlan
{
    public static RehearsalPipeline Build(IServiceProvider services)
    {
        var options = services.GetRequiredService<RehearsalOptions>();
        var set = services.GetRequiredService<MigrationSet>();
        var provider = services.GetRequiredService<IDatabaseProvider>();
        var tools = services.GetRequiredService<PgClientTools>();
        var audit = services.GetRequiredService<AuditRunner>();
        var upgrade = services.GetRequiredService<UpgradeRunner>();
        var downgrade = services.GetRequiredService<DowngradeRunner>();

        List<IRehearsalStage> stages =
        [
            new ProvisionStage(provider),
            options.FromDump is null ? new BaselineStage(services.GetRequiredService<BaselineInstaller>(), BaselineOrigin(set)) : new RestoreDumpStage(tools),
            .. options.SeedsData ? [new SeedStage(services.GetRequiredService<ILogger<SeedStage>>())] : Array.Empty<IRehearsalStage>(),
            new AuditStage(audit),
            new BackupStage(tools),
            .. options.Rollback ? [new SnapshotStage(tools)] : Array.Empty<IRehearsalStage>(),
            .. options.Traffic is { } traffic ? [new StartTrafficStage(traffic)] : Array.Empty<IRehearsalStage>(),
            .. set.Migrations.Select(m => new MigrateStage(m, upgrade)),
            .. options.Traffic is not null ? [new StopTrafficStage()] : Array.Empty<IRehearsalStage>(),
            new VerifyStage(audit),
        ];
        if (options.Rollback)
        {
            stages.AddRange(set.Migrations.Reverse().Select(m => new RollbackStage(m, RollbackStage.FloorFor(set, m), downgrade)));
            stages.Add(new RollbackProofStage(tools));
        }

        IRehearsalStage[] closing = [new TeardownStage(provider), new ReportStage()];
        return new RehearsalPipeline(stages, closing, services.GetRequiredService<IRehearsalConsole>(), services.GetRequiredService<ILogger<RehearsalPipeline>>());
    }

    private static string BaselineOrigin(MigrationSet set) =>
        set.Baseline is null ? $"the shipped {MigrationSet.BaselineRelativePath}: {set.Directory} has none" : MigrationSet.BaselineRelativePath;
}
