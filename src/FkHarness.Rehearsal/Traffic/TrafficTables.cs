namespace FkHarness.Rehearsal.Traffic;

/// <summary>How the live-traffic writers write each affected table. @dep, @backup, @group: seeded rows nobody deletes.</summary>
internal static class TrafficTables
{
    public static IReadOnlyList<TextTable> Text { get; } =
    [
        new("dashboard_widgets", "user_id", true,
            "INSERT INTO dashboard_widgets (user_id, widget_type, title) VALUES (@v, 'chart', 'traffic') RETURNING id",
            "UPDATE dashboard_widgets SET position = position + 1 WHERE id = @id"),
        new("user_preferences", "user_id", true,
            "INSERT INTO user_preferences (user_id, preference_key, preference_value) VALUES (@v, @key, 'on') RETURNING id",
            "UPDATE user_preferences SET preference_value = 'touched' WHERE id = @id"),
        new("error_logs", "user_id", false,
            "INSERT INTO error_logs (user_id, severity, message) VALUES (@v, 'error', 'traffic') RETURNING id",
            "UPDATE error_logs SET severity = 'warning' WHERE id = @id"),
        new("deployment_queue", "requested_by", false,
            "INSERT INTO deployment_queue (deployment_id, requested_by) VALUES (@dep, @v) RETURNING id",
            "UPDATE deployment_queue SET priority = priority + 1 WHERE id = @id"),
        new("deployment_schedules", "created_by", false,
            "INSERT INTO deployment_schedules (deployment_id, cron_expression, created_by) VALUES (@dep, '0 * * * *', @v) RETURNING id",
            "UPDATE deployment_schedules SET enabled = NOT enabled WHERE id = @id"),
        new("database_backups", "created_by", false,
            "INSERT INTO database_backups (database_name, backup_type, size_bytes, storage_path, created_by) VALUES ('app', 'full', 1, '/b', @v) RETURNING id",
            "UPDATE database_backups SET size_bytes = size_bytes + 1 WHERE id = @id"),
        new("backup_restore_history", "restored_by", false,
            "INSERT INTO backup_restore_history (backup_id, restored_by, target_database, status) VALUES (@backup, @v, 'app', 'ok') RETURNING id",
            "UPDATE backup_restore_history SET status = 'touched' WHERE id = @id"),
        new("migration_rollback_audit", "initiated_by", false,
            "INSERT INTO migration_rollback_audit (migration_name, initiated_by, reason) VALUES ('x', @v, 'traffic') RETURNING id",
            "UPDATE migration_rollback_audit SET reason = 'touched' WHERE id = @id"),
        new("artifact_versions", "created_by", false,
            "INSERT INTO artifact_versions (artifact_name, version, sha256, size_bytes, created_by) VALUES ('a', '1', 'x', 1, @v) RETURNING id",
            "UPDATE artifact_versions SET size_bytes = size_bytes + 1 WHERE id = @id"),
    ];

    public static IReadOnlyList<ArrayTable> Arrays { get; } =
    [
        new("deployment_approvals", "approved_by", true,
            "INSERT INTO deployment_approvals (deployment_id, approved_by) VALUES (@dep, @arr) RETURNING id"),
        new("approval_rules", "allowed_approvers", true,
            "INSERT INTO approval_rules (name, environment, allowed_approvers) VALUES ('traffic', 'prod', @arr) RETURNING id"),
        new("alert_escalations", "user_ids", true,
            "INSERT INTO alert_escalations (condition_group_id, level, user_ids) VALUES (@group, 1, @arr) RETURNING id"),
        new("alert_condition_groups", "condition_ids", false,
            "INSERT INTO alert_condition_groups (name, condition_ids) VALUES ('traffic', @arr) RETURNING id"),
    ];
}
