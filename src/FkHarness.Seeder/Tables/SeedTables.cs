using FkHarness.Seeder.Generation;

namespace FkHarness.Seeder.Tables;

/// <summary>The baseline's seventeen application tables, in the order their foreign keys need.</summary>
internal static class SeedTables
{
    public static IReadOnlyList<ISeedTable> Create(SeedContext context) =>
    [
        new UsersTable(context),
        new DeploymentsTable(context),
        new AlertConditionsTable(context),
        new DashboardWidgetsTable(context),
        new UserPreferencesTable(context),
        new ErrorLogsTable(context),
        new DeploymentQueueTable(context),          // → deployments
        new DeploymentSchedulesTable(context),      // → deployments
        new DatabaseBackupsTable(context),
        new BackupRestoreHistoryTable(context),     // → database_backups
        new MigrationRollbackAuditTable(context),
        new ArtifactVersionsTable(context),
        new DeploymentApprovalsTable(context),      // → deployments
        new ApprovalRulesTable(context),
        new AlertConditionGroupsTable(context),
        new AlertEscalationsTable(context),         // → alert_condition_groups
        new SyncEventsTable(context),
    ];
}
