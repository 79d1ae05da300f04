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
/// The rehearsal, declared: which named steps run, in which order, for these options, and the
/// stages each one runs. One up step per migration of the set, and with --rollback one down step
/// per migration, newest first. In-process the steps run one after the other in one pipeline;
/// under the AppHost each step is a resource of its own (<c>--step NAME</c>), named as here.
/// </summary>
internal static class RehearsalPlan
{
    /// <summary>The last step: teardown and the report, run whatever happened before.</summary>
    public const string ReportStep = "report";

    /// <summary>The steps in order, the closing <see cref="ReportStep"/> last. Needs no services: the AppHost declares its resources from it.</summary>
    public static IReadOnlyList<PlannedStep> Steps(RehearsalOptions options, MigrationSet set)
    {
        List<PlannedStep> steps =
        [
            options.FromDump is null
                ? new("baseline", sp => [Provision(sp), new BaselineStage(sp.GetRequiredService<BaselineInstaller>(), BaselineOrigin(set))])
                : new("restore-dump", sp => [Provision(sp), new RestoreDumpStage(sp.GetRequiredService<PgClientTools>())]),
            .. options.SeedsData ? [new PlannedStep("seed", sp => [new SeedStage(sp.GetRequiredService<ILogger<SeedStage>>())])] : Array.Empty<PlannedStep>(),
            new("audit", sp => [new AuditStage(sp.GetRequiredService<AuditRunner>())]),
            new("backup", sp => [new BackupStage(sp.GetRequiredService<PgClientTools>())]),
            .. options.Rollback ? [new PlannedStep("snapshot", sp => [new SnapshotStage(sp.GetRequiredService<PgClientTools>())])] : Array.Empty<PlannedStep>(),
            .. set.Migrations.Select(m => new PlannedStep($"migrate-{m.Version}", sp => [new MigrateStage(m, sp.GetRequiredService<UpgradeRunner>())])),
            new("verify", sp => [new VerifyStage(sp.GetRequiredService<AuditRunner>())]),
        ];
        if (options.Rollback)
        {
            steps.AddRange(set.Migrations.Reverse().Select(m => new PlannedStep($"rollback-{m.Version}",
                sp => [new RollbackStage(m, RollbackStage.FloorFor(set, m), sp.GetRequiredService<DowngradeRunner>())])));
            steps.Add(new("rollback-proof", sp => [new RollbackProofStage(sp.GetRequiredService<PgClientTools>())]));
        }

        steps.Add(new(ReportStep, Closing));
        return steps;
    }

    /// <summary>The in-process rehearsal: every step's stages in one pipeline, teardown and report closing it.</summary>
    public static RehearsalPipeline Build(IServiceProvider services)
    {
        var steps = Steps(services.GetRequiredService<RehearsalOptions>(), services.GetRequiredService<MigrationSet>());
        var stages = steps.Where(s => s.Name != ReportStep).SelectMany(s => s.Stages(services)).ToList();
        if (services.GetRequiredService<RehearsalOptions>().Traffic is { } traffic && stages.FindIndex(s => s is MigrateStage) is >= 0 and var first)
        {
            // In one process the writers run beside the migrate stages; as a graph they are a step of their own (--step traffic).
            stages.Insert(stages.FindLastIndex(s => s is MigrateStage) + 1, new StopTrafficStage());
            stages.Insert(first, new StartTrafficStage(traffic));
        }

        return new RehearsalPipeline(stages, Closing(services), services.GetRequiredService<IRehearsalConsole>(), services.GetRequiredService<ILogger<RehearsalPipeline>>());
    }

    public static IReadOnlyList<IRehearsalStage> Closing(IServiceProvider services) =>
        [new TeardownStage(services.GetRequiredService<IDatabaseProvider>()), new ReportStage()];

    private static ProvisionStage Provision(IServiceProvider services) => new(services.GetRequiredService<IDatabaseProvider>());

    private static string BaselineOrigin(MigrationSet set) =>
        set.Baseline is null ? $"the shipped {MigrationSet.BaselineRelativePath}: {set.Directory} has none" : MigrationSet.BaselineRelativePath;
}
