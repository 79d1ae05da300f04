using Npgsql;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// Watches a migration from a session of its own, one round trip per look: the nine FKs and their
/// partial indexes, the quarantine, 026's GIN indexes and triggers, the journal, and the statement
/// the migrator's session is running. Tables that may not exist yet are read through
/// <c>query_to_xml</c>, which parses its query only when the CASE reaches it.
/// </summary>
internal sealed class ProgressProbe : IAsyncDisposable
{
    private const string Sql = """
        SELECT
          (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass AND conname LIKE '%\_fkey'
             AND conrelid::regclass::text IN ('dashboard_widgets','user_preferences','error_logs','deployment_queue','deployment_schedules',
                                              'database_backups','backup_restore_history','migration_rollback_audit','artifact_versions'))::int,
          (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass AND convalidated
             AND conrelid::regclass::text IN ('dashboard_widgets','user_preferences','error_logs','deployment_queue','deployment_schedules',
                                              'database_backups','backup_restore_history','migration_rollback_audit','artifact_versions'))::int,
          CASE WHEN to_regclass('fk_fix.quarantine') IS NULL THEN 0
               ELSE (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM fk_fix.quarantine', false, true, '')))[1]::text::bigint END,
          (SELECT count(*) FROM pg_class WHERE relkind = 'i' AND relname LIKE 'idx\_%' AND relname NOT LIKE '%\_gin'
             AND relname IN ('idx_dashboard_widgets_user_id','idx_user_preferences_user_id','idx_error_logs_user_id',
                             'idx_deployment_queue_requested_by','idx_deployment_schedules_created_by','idx_database_backups_created_by',
                             'idx_backup_restore_history_restored_by','idx_migration_rollback_audit_initiated_by','idx_artifact_versions_created_by'))::int,
          (SELECT count(*) FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid WHERE i.indisvalid
             AND c.relname IN ('idx_dashboard_widgets_user_id','idx_user_preferences_user_id','idx_error_logs_user_id',
                               'idx_deployment_queue_requested_by','idx_deployment_schedules_created_by','idx_database_backups_created_by',
                               'idx_backup_restore_history_restored_by','idx_migration_rollback_audit_initiated_by','idx_artifact_versions_created_by'))::int,
          (SELECT count(*) FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid WHERE i.indisvalid AND c.relname LIKE 'idx\_%\_gin')::int,
          (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'trg\_check\_%')::int,
          CASE WHEN to_regclass('fkharness.schema_versions') IS NULL THEN 0
               ELSE (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM fkharness.schema_versions', false, true, '')))[1]::text::int END,
          (SELECT string_agg(left(regexp_replace(query, '\s+', ' ', 'g'), 90), ' + ')
             FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'fkharness-migrator'
              AND state = 'active' AND query NOT LIKE '%pg_try_advisory_lock%'),
          (SELECT string_agg(phase || ' ' || coalesce(index_relid::regclass::text, '?'), ' + ')
             FROM pg_stat_progress_create_index WHERE datid = (SELECT oid FROM pg_database WHERE datname = current_database()))
        """;

    private readonly NpgsqlConnection _connection;

    private ProgressProbe(NpgsqlConnection connection) => _connection = connection;

    public static async Task<ProgressProbe> OpenAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "fkharness-probe" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return new ProgressProbe(connection);
    }

    public async Task<ProgressSnapshot> LookAsync(CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(Sql, _connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ProgressSnapshot(
            reader.GetInt32(0),
            reader.GetInt32(1),
            reader.GetInt64(2),
            reader.GetInt32(3),
            reader.GetInt32(4),
            reader.GetInt32(5),
            reader.GetInt32(6),
            reader.GetInt32(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9));
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
