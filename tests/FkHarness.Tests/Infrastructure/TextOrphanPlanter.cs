using FkHarness.Catalog;
using Npgsql;

namespace FkHarness.Tests.Infrastructure;

/// <summary>
/// Plants, in every table of the nine TEXT FKs, one row of each kind real data has: a valid id,
/// a deleted user's id, a case variant, a whitespace variant, an empty string, and (where the
/// column allows it) a NULL. Two users exist: 'usr_alice' and 'usr_bob'.
/// </summary>
public static class TextOrphanPlanter
{
    private static readonly (string? Value, string Kind)[] Kinds =
    [
        ("usr_alice", "valid"),
        ("usr_deleted01", "missing"),
        ("USR_ALICE", "variant"),
        (" usr_bob ", "variant"),
        ("", "empty_string"),
        (null, "null"),
    ];

    // Enough of each table's other NOT NULL columns to insert a row.
    private static readonly Dictionary<string, (string Columns, string Values)> OtherColumns = new()
    {
        ["dashboard_widgets"] = ("widget_type, title", "'chart', 'Deploys per day'"),
        ["user_preferences"] = ("preference_key, preference_value", "'key_' || gen_random_uuid(), 'dark'"),
        ["error_logs"] = ("severity, message", "'error', 'NullReferenceException'"),
        ["deployment_queue"] = ("deployment_id", "1"),
        ["deployment_schedules"] = ("deployment_id, cron_expression", "1, '0 3 * * *'"),
        ["database_backups"] = ("database_name, backup_type, size_bytes, storage_path", "'app', 'full', 1024, 's3://b/1'"),
        ["backup_restore_history"] = ("backup_id, target_database, status", "1, 'app_copy', 'done'"),
        ["migration_rollback_audit"] = ("migration_name, reason", "'023_x', 'bad deploy'"),
        ["artifact_versions"] = ("artifact_name, version, sha256, size_bytes", "'api', '1.0.0', 'abc', 10"),
    };

    public static async Task<IReadOnlyList<PlantedRow>> PlantAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await ExecuteAsync(connection, """
            INSERT INTO users (id, user_id, email, display_name) VALUES (1, 'usr_alice', 'alice@example.com', 'Alice'), (2, 'usr_bob', 'bob@example.com', 'Bob');
            INSERT INTO deployments (id, service_name, environment, version) VALUES (1, 'api', 'staging', '1.0.0');
            INSERT INTO database_backups (id, database_name, backup_type, size_bytes, storage_path) VALUES (1, 'app', 'full', 1, 's3://b/0');
            SELECT setval(pg_get_serial_sequence('users', 'id'), 100), setval(pg_get_serial_sequence('deployments', 'id'), 100),
                   setval(pg_get_serial_sequence('database_backups', 'id'), 100);
            """);

        var planted = new List<PlantedRow>();
        foreach (var finding in ForeignKeyCatalog.LoadEmbedded().TextForeignKeys)
        {
            foreach (var (value, kind) in Kinds)
            {
                if (value is null && finding.Kind == ForeignKeyKind.TextFkRequired)
                {
                    continue;
                }

                var (columns, values) = OtherColumns[finding.SourceTable];
                await using var command = new NpgsqlCommand(
                    $"INSERT INTO {finding.SourceTable} ({finding.SourceColumn}, {columns}) VALUES (@value, {values}) RETURNING id", connection);
                command.Parameters.AddWithValue("value", (object?)value ?? DBNull.Value);
                var id = (long)(await command.ExecuteScalarAsync())!;
                planted.Add(new PlantedRow(finding, id, value, ExpectedAction(finding, kind), kind is "valid" or "null" ? null : kind));
            }
        }

        return planted;
    }

    private static string ExpectedAction(ForeignKeyFinding finding, string kind) =>
        kind is "valid" or "null" ? "leave" : finding.Cleanup;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
