using System.Globalization;
using FkHarness.Benchmarks.Infrastructure;
using Npgsql;

namespace FkHarness.Benchmarks.LiveMigration;

/// <summary>
/// The nine TEXT-FK tables at staging size, generated set-based on the server (generate_series:
/// seconds for a million rows, where a client-side generator would take minutes). About 1.5 % of
/// the non-NULL references are orphans, in the four kinds real data has: ids of deleted users,
/// empty strings, case variants and whitespace variants of real ids. users.user_id has no NULL,
/// so the plan's NOT IN cleanup works as written (its NULL trap is a correctness test's job).
/// </summary>
internal static class LiveData
{
    public const long RowsAtScaleOne = 1_230_000;

    // Rows per table at scale 1: error logs dominate, as they do in the real schema.
    private static readonly (string Table, int Rows, string Insert)[] Tables =
    [
        ("dashboard_widgets", 150_000, "INSERT INTO dashboard_widgets (user_id, widget_type, title, position, config) SELECT {ref:1}, (ARRAY['chart','table','counter','log'])[1 + g % 4], 'Widget ' || g, g % 12, '{\"w\": 4}' FROM generate_series(1, {n}) AS g"),
        ("user_preferences", 150_000, "INSERT INTO user_preferences (user_id, preference_key, preference_value) SELECT {ref:2}, 'pref_' || g, 'value ' || (g % 17) FROM generate_series(1, {n}) AS g"),
        ("error_logs", 400_000, "INSERT INTO error_logs (user_id, session_id, severity, message) SELECT {nullable:3}, 'sess_' || (g % 9973), (ARRAY['error','warning','fatal'])[1 + g % 3], 'Something failed at step ' || (g % 1000) FROM generate_series(1, {n}) AS g"),
        ("deployment_queue", 120_000, "INSERT INTO deployment_queue (deployment_id, requested_by, priority, status) SELECT 1 + g % 5000, {nullable:4}, g % 10, 'queued' FROM generate_series(1, {n}) AS g"),
        ("deployment_schedules", 60_000, "INSERT INTO deployment_schedules (deployment_id, cron_expression, created_by) SELECT 1 + g % 5000, '0 ' || (g % 24) || ' * * *', {nullable:5} FROM generate_series(1, {n}) AS g"),
        ("database_backups", 100_000, "INSERT INTO database_backups (database_name, backup_type, size_bytes, storage_path, created_by) SELECT 'db' || (g % 20), 'full', g * 1024, 's3://backups/' || g, {nullable:6} FROM generate_series(1, {n}) AS g"),
        ("backup_restore_history", 100_000, "INSERT INTO backup_restore_history (backup_id, restored_by, target_database, status) SELECT 1 + g % {backups}, {nullable:7}, 'restore_' || (g % 20), 'succeeded' FROM generate_series(1, {n}) AS g"),
        ("migration_rollback_audit", 50_000, "INSERT INTO migration_rollback_audit (migration_name, initiated_by, reason) SELECT 'm' || (g % 300), {nullable:8}, 'rollback ' || g FROM generate_series(1, {n}) AS g"),
        ("artifact_versions", 100_000, "INSERT INTO artifact_versions (artifact_name, version, sha256, size_bytes, created_by) SELECT 'artifact-' || (g % 500), '1.' || g, md5(g::text), g, {nullable:9} FROM generate_series(1, {n}) AS g"),
    ];

    /// <summary>Baseline, then users, deployments and the nine tables; VACUUM ANALYZE so every copy starts alike.</summary>
    public static async Task BuildAsync(BenchServer server, string database, LiveMigrationOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        (await PsqlFile.RunAsync(server.Binaries, server.ConnectionString(database), MigrationFiles.Baseline, cancellationToken))
            .EnsureSucceeded("The baseline schema");
        await using var connection = new NpgsqlConnection(server.UnpooledConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        var users = options.Users;
        await ExecuteAsync(connection, $"""
            INSERT INTO users (id, user_id, email, display_name, role)
            SELECT g, 'usr_' || g, 'user' || g || '@example.com', 'User ' || g, (ARRAY['developer','admin','viewer'])[1 + g % 3]
            FROM generate_series(1, {users}) AS g;
            SELECT setval(pg_get_serial_sequence('users', 'id'), {users});
            INSERT INTO deployments (id, service_name, environment, version)
            SELECT g, 'svc-' || (g % 50), (ARRAY['dev','staging','production'])[1 + g % 3], '1.' || (g % 100) || '.0'
            FROM generate_series(1, 5000) AS g;
            SELECT setval(pg_get_serial_sequence('deployments', 'id'), 5000);
            """, cancellationToken);

        foreach (var (table, rows, insert) in Tables)
        {
            var n = Math.Max(1000, (long)(rows * options.Scale));
            progress.WriteLine($"  {table}: {n:N0} rows");
            var backups = Math.Max(1000, (long)(100_000 * options.Scale));
            var sql = insert
                .Replace("{n}", n.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{backups}", backups.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            for (var salt = 1; salt <= 9; salt++)
            {
                sql = sql
                    .Replace($"{{ref:{salt}}}", Reference(salt, users), StringComparison.Ordinal)
                    .Replace($"{{nullable:{salt}}}", $"CASE WHEN g % 10 = 0 THEN NULL ELSE {Reference(salt, users)} END", StringComparison.Ordinal);
            }

            await ExecuteAsync(connection, sql, cancellationToken);
        }

        await ExecuteAsync(connection, "VACUUM ANALYZE", cancellationToken);
    }

    /// <summary>
    /// The reference held by row g: 1 in 67 is an orphan (deleted user, '', case variant,
    /// whitespace variant, in turn), the rest a real user spread over all of them.
    /// </summary>
    private static string Reference(int salt, int users) => $"""
        CASE WHEN (g * 7 + {salt}) % 67 = 0 THEN
            CASE (g / 67) % 4
                WHEN 0 THEN 'usr_' || (1000000 + g)
                WHEN 1 THEN ''
                WHEN 2 THEN 'USR_' || (1 + (g * 31 + {salt}) % {users})
                ELSE ' usr_' || (1 + (g * 31 + {salt}) % {users}) || ' '
            END
        ELSE 'usr_' || (1 + (g::bigint * 2654435761 + {salt}) % {users}) END
        """;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
