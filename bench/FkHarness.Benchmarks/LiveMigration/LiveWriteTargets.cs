namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// What the live writers insert: one row into one of the nine TEXT-FK tables, or a new user.
/// Every statement takes $1, the user reference, and $2, a tag unique to the write.
/// </summary>
internal static class LiveWriteTargets
{
    public const int UsersTarget = 9;

    public static IReadOnlyList<(string Table, string Sql)> All { get; } =
    [
        ("dashboard_widgets", "INSERT INTO dashboard_widgets (user_id, widget_type, title) VALUES ($1, 'chart', $2)"),
        ("user_preferences", "INSERT INTO user_preferences (user_id, preference_key, preference_value) VALUES ($1, $2, 'live')"),
        ("error_logs", "INSERT INTO error_logs (user_id, session_id, severity, message) VALUES ($1, 'sess_live', 'error', $2)"),
        ("deployment_queue", "INSERT INTO deployment_queue (deployment_id, requested_by, status) VALUES (1, $1, $2)"),
        ("deployment_schedules", "INSERT INTO deployment_schedules (deployment_id, cron_expression, created_by) VALUES (1, $2, $1)"),
        ("database_backups", "INSERT INTO database_backups (database_name, backup_type, size_bytes, storage_path, created_by) VALUES ('live', 'full', 1, $2, $1)"),
        ("backup_restore_history", "INSERT INTO backup_restore_history (backup_id, restored_by, target_database, status) VALUES (1, $1, $2, 'succeeded')"),
        ("migration_rollback_audit", "INSERT INTO migration_rollback_audit (migration_name, initiated_by, reason) VALUES ('live', $1, $2)"),
        ("artifact_versions", "INSERT INTO artifact_versions (artifact_name, version, sha256, size_bytes, created_by) VALUES ('live', $2, 'sha', 1, $1)"),
        ("users", "INSERT INTO users (user_id, email, display_name) VALUES ($2, $2 || '@example.com', $1)"),
    ];
}
