using FkHarness.Rehearsal.Afterwards;
using FkHarness.Rehearsal.Postgres;
using FkHarness.Rehearsal.Resources;
using FkHarness.Rehearsal.Traffic;
using FkHarness.Rehearsal.Verification;
using FkHarness.Catalog;
using FkHarness.Migrator;
using FkHarness.Migrator.Audit;
using FkHarness.Seeder.Manifest;

namespace FkHarness.Rehearsal.Pipeline;

/// <summary>
/// What a rehearsal knows so far, filled in by its stages in order. The report reads it whatever
/// stage the rehearsal stopped at, so every field may still be empty.
/// </summary>
internal sealed class RehearsalContext(RehearsalOptions options, RehearsalArtifacts artifacts, ForeignKeyCatalog catalog)
{
    public RehearsalOptions Options { get; } = options;

    public RehearsalArtifacts Artifacts { get; } = artifacts;

    public ForeignKeyCatalog Catalog { get; } = catalog;

    /// <summary>When the rehearsal started; a step run later takes it from the saved state.</summary>
    public DateTimeOffset StartedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The rehearsal database, the resource named <c>fkdb</c>; null until provisioned.</summary>
    public RehearsalDatabase? Database { get; set; }

    public RehearsalDatabase RequireDatabase() =>
        Database ?? throw new InvalidOperationException("No database has been provisioned yet.");

    /// <summary>The roles the dump named that did not exist and were created (NOLOGIN) to restore it with its owners and grants.</summary>
    public IReadOnlyList<string> CreatedRoles { get; set; } = [];

    /// <summary>The role the migrations run as; null until the first migrate (or rollback) stage resolves it.</summary>
    public MigrationRole? MigrationRole { get; set; }

    /// <summary>What the seeder planted (ground truth); null with --from-dump.</summary>
    public OrphanManifest? Seeded { get; set; }

    /// <summary>024 before the fix.</summary>
    public AuditResult? AuditBefore { get; set; }

    /// <summary>024 after the fix (run by verify).</summary>
    public AuditResult? AuditAfter { get; set; }

    public BackupFile? Backup { get; set; }

    /// <summary>Schema and data before the first up, for the rollback proof.</summary>
    public DatabaseSnapshot? SnapshotBeforeUp { get; set; }

    /// <summary>The up and down runs, in order.</summary>
    public List<MigrationRunResult> MigrationRuns { get; } = [];

    /// <summary>What 025 quarantined, grouped; read by verify before any rollback empties it.</summary>
    public IReadOnlyList<QuarantineGroup> Quarantine { get; set; } = [];

    /// <summary>Every row of fk_fix.quarantine (quarantine.csv); read by verify.</summary>
    public IReadOnlyList<QuarantinedRow> QuarantineRows { get; set; } = [];

    /// <summary>The server's settings that decide how far timings carry to staging; read by verify.</summary>
    public IReadOnlyDictionary<string, string>? ServerSettings { get; set; }

    public List<VerificationCheck> Checks { get; } = [];

    public RollbackProof? RollbackProof { get; set; }

    public List<StageRecord> Stages { get; } = [];

    /// <summary>The synthetic writers while they run (--traffic); null otherwise.</summary>
    public TrafficRun? TrafficRun { get; set; }

    /// <summary>What the synthetic writers did (--traffic), once stopped.</summary>
    public TrafficResult? Traffic { get; set; }

    /// <summary>How to stop work a stage left running beside the later ones, if the stage meant to stop it never runs (a failure, Ctrl+C).</summary>
    public List<Func<Task>> BackgroundStops { get; } = [];

    /// <summary>Set once Ctrl+C (or SIGTERM) stopped the rehearsal: teardown then ignores --keep.</summary>
    public bool WasCancelled { get; set; }

    public TeardownResult? Teardown { get; set; }

    /// <summary>When the report was first written: the rehearsal's end, kept when a command after it rewrites the report.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>fkdb's commands run after the rehearsal ended (--keep), in order; never among its stages.</summary>
    public List<CommandRun> Commands { get; } = [];

    public IEnumerable<LockWait> LockWaits => MigrationRuns.SelectMany(r => r.LockWaits);

    /// <summary>The table locks every up and down step held, as the migrator measured them.</summary>
    public IEnumerable<LockHold> LockHolds => MigrationRuns.SelectMany(r => r.LockHolds);

    /// <summary>How often the migrator sampled pg_locks inside procedures ("1 ms").</summary>
    public string LockHoldSampling { get; set; } = "1 ms";
}
