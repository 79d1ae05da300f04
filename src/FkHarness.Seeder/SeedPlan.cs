namespace FkHarness.Seeder;

/// <summary>
/// How many rows each table gets at a scale. Scale 1 is a small platform: 1,000 user accounts and
/// about 104,000 rows in all; every count grows linearly with the scale (scale 10 ≈ 1.04 million rows).
/// Tables filled per owner (widgets and preferences per user, escalation levels per condition group)
/// are approximate here; <see cref="SeedResult.RowCounts"/> has the exact figures after seeding.
/// </summary>
public sealed record SeedPlan
{
    public required double Scale { get; init; }
    public required int UserSlots { get; init; }
    public required int Deployments { get; init; }
    public required int AlertConditions { get; init; }
    public required int ErrorLogs { get; init; }
    public required int DeploymentQueue { get; init; }
    public required int DeploymentSchedules { get; init; }
    public required int DatabaseBackups { get; init; }
    public required int BackupRestores { get; init; }
    public required int RollbackAudits { get; init; }
    public required int ArtifactVersions { get; init; }
    public required int DeploymentApprovals { get; init; }
    public required int ApprovalRules { get; init; }
    public required int AlertConditionGroups { get; init; }
    public required int SyncEvents { get; init; }

    // Mean rows per user slot / per group, from the distributions the table generators use.
    internal const double WidgetsPerUserSlot = 3.5;
    internal const double PreferencesPerUserSlot = 3.9;
    internal const double EscalationsPerGroup = 2.5;

    public static SeedPlan ForScale(double scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        return new SeedPlan
        {
            Scale = scale,
            UserSlots = Scaled(1_000, scale, minimum: 20),
            Deployments = Scaled(5_000, scale),
            AlertConditions = Scaled(500, scale),
            ErrorLogs = Scaled(40_000, scale),
            DeploymentQueue = Scaled(8_000, scale),
            DeploymentSchedules = Scaled(1_500, scale),
            DatabaseBackups = Scaled(3_000, scale),
            BackupRestores = Scaled(600, scale),
            RollbackAudits = Scaled(300, scale),
            ArtifactVersions = Scaled(10_000, scale),
            DeploymentApprovals = Scaled(6_000, scale),
            ApprovalRules = Scaled(200, scale),
            AlertConditionGroups = Scaled(300, scale),
            SyncEvents = Scaled(20_000, scale),
        };
    }

    /// <summary>Expected rows per table, in load order (approximate for the per-owner tables).</summary>
    public IReadOnlyDictionary<string, long> ExpectedRows => new Dictionary<string, long>
    {
        ["users"] = UserSlots,
        ["deployments"] = Deployments,
        ["alert_conditions"] = AlertConditions,
        ["dashboard_widgets"] = (long)(UserSlots * WidgetsPerUserSlot),
        ["user_preferences"] = (long)(UserSlots * PreferencesPerUserSlot),
        ["error_logs"] = ErrorLogs,
        ["deployment_queue"] = DeploymentQueue,
        ["deployment_schedules"] = DeploymentSchedules,
        ["database_backups"] = DatabaseBackups,
        ["backup_restore_history"] = BackupRestores,
        ["migration_rollback_audit"] = RollbackAudits,
        ["artifact_versions"] = ArtifactVersions,
        ["deployment_approvals"] = DeploymentApprovals,
        ["approval_rules"] = ApprovalRules,
        ["alert_condition_groups"] = AlertConditionGroups,
        ["alert_escalations"] = (long)(AlertConditionGroups * EscalationsPerGroup),
        ["sync_events"] = SyncEvents,
    };

    public long ExpectedTotalRows => ExpectedRows.Values.Sum();

    private static int Scaled(int atScaleOne, double scale, int minimum = 10) =>
        (int)Math.Max(minimum, Math.Round(atScaleOne * scale));
}
