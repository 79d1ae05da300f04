using FkHarness.Rehearsal.Afterwards;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Postgres;
using FkHarness.Rehearsal.Resources;
using FkHarness.Rehearsal.Verification;
using FkHarness.Migrator;
using FkHarness.Migrator.Audit;
using FkHarness.Seeder.Manifest;

namespace FkHarness.Rehearsal.State;

/// <summary>
/// What a rehearsal knows between its steps, as <c>state/context.json</c> holds it: everything
/// later stages and the report read from the <see cref="RehearsalContext"/>. Never a connection
/// string or password: each step gets the database from ConnectionStrings__fkdb again.
/// </summary>
internal sealed record RehearsalState
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    public required string RunId { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The rehearsal's trace (W3C traceparent), so every step's spans join one trace.</summary>
    public string? TraceParent { get; init; }

    public IReadOnlyList<string> CreatedRoles { get; init; } = [];

    /// <summary>The migration role's name; its connection string is rebuilt from fkdb's.</summary>
    public string? MigrationRole { get; init; }

    public bool MigrationRoleIsSuperuser { get; init; }

    public OrphanManifest? Seeded { get; init; }

    public AuditResult? AuditBefore { get; init; }

    public AuditResult? AuditAfter { get; init; }

    public BackupFile? Backup { get; init; }

    public DatabaseSnapshot? SnapshotBeforeUp { get; init; }

    public IReadOnlyList<MigrationRunResult> MigrationRuns { get; init; } = [];

    public IReadOnlyList<QuarantineGroup> Quarantine { get; init; } = [];

    public IReadOnlyList<QuarantinedRow> QuarantineRows { get; init; } = [];

    public IReadOnlyDictionary<string, string>? ServerSettings { get; init; }

    public IReadOnlyList<VerificationCheck> Checks { get; init; } = [];

    public RollbackProof? RollbackProof { get; init; }

    public IReadOnlyList<StageRecord> Stages { get; init; } = [];

    public bool WasCancelled { get; init; }

    public TeardownResult? Teardown { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>fkdb's commands after the rehearsal (absent in a state written before they were recorded: none).</summary>
    public IReadOnlyList<CommandRun> Commands { get; init; } = [];

    public string LockHoldSampling { get; init; } = "1 ms";

    public static RehearsalState From(RehearsalContext context, string? traceParent) => new()
    {
        RunId = context.Artifacts.RunId,
        StartedAt = context.StartedAt,
        TraceParent = traceParent,
        CreatedRoles = context.CreatedRoles,
        MigrationRole = context.MigrationRole?.Name,
        MigrationRoleIsSuperuser = context.MigrationRole?.IsSuperuser ?? false,
        Seeded = context.Seeded,
        AuditBefore = context.AuditBefore,
        AuditAfter = context.AuditAfter,
        Backup = context.Backup,
        SnapshotBeforeUp = context.SnapshotBeforeUp,
        MigrationRuns = [.. context.MigrationRuns],
        Quarantine = context.Quarantine,
        QuarantineRows = context.QuarantineRows,
        ServerSettings = context.ServerSettings,
        Checks = [.. context.Checks],
        RollbackProof = context.RollbackProof,
        Stages = [.. context.Stages],
        WasCancelled = context.WasCancelled,
        Teardown = context.Teardown,
        FinishedAt = context.FinishedAt,
        Commands = [.. context.Commands],
        LockHoldSampling = context.LockHoldSampling,
    };

    /// <summary>Fills a fresh context (whose database is already provisioned) with what the earlier steps found.</summary>
    public void ApplyTo(RehearsalContext context)
    {
        context.StartedAt = StartedAt;
        context.CreatedRoles = CreatedRoles;
        if (MigrationRole is { } role)
        {
            var database = context.RequireDatabase();
            context.MigrationRole = new MigrationRole(role, Postgres.MigrationRole.ConnectionStringFor(database.ConnectionString, role), MigrationRoleIsSuperuser);
        }

        context.Seeded = Seeded;
        context.AuditBefore = AuditBefore;
        context.AuditAfter = AuditAfter;
        context.Backup = Backup;
        context.SnapshotBeforeUp = SnapshotBeforeUp;
        context.MigrationRuns.AddRange(MigrationRuns);
        context.Quarantine = Quarantine;
        context.QuarantineRows = QuarantineRows;
        context.ServerSettings = ServerSettings;
        context.Checks.AddRange(Checks);
        context.RollbackProof = RollbackProof;
        context.Stages.AddRange(Stages);
        context.WasCancelled = WasCancelled;
        context.Teardown = Teardown;
        context.FinishedAt = FinishedAt;
        context.Commands.AddRange(Commands);
        context.LockHoldSampling = LockHoldSampling;
    }
}
