using Npgsql;

namespace FkHarness.Migrator.Database;

/// <summary>Who holds the migration lock, as far as pg_locks and pg_stat_activity let this user see.</summary>
internal static class MigratorLockHolder
{
    // A bigint advisory key shows in pg_locks as classid (high 32 bits), objid (low 32 bits), objsubid 1.
    private static string Sql(long key) => $"""
        SELECT l.pid, a.application_name, a.usename, a.client_addr::text, a.backend_start
        FROM pg_locks l
        LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid::bigint = {key >> 32} AND l.objid::bigint = {key & 0xFFFF_FFFF}
          AND l.pid <> pg_backend_pid()
        LIMIT 1
        """;

    /// <summary>Who holds the advisory lock <paramref name="key"/> (default: the migration lock).</summary>
    public static async Task<string> DescribeAsync(NpgsqlConnection connection, CancellationToken cancellationToken, long key = MigratorLock.Key)
    {
        try
        {
            await using var command = new NpgsqlCommand(Sql(key), connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return "holder not visible to this user";
            }

            var pid = reader.GetInt32(0);
            var application = reader.IsDBNull(1) || reader.GetString(1).Length == 0 ? "unknown application" : reader.GetString(1);
            var user = reader.IsDBNull(2) ? "unknown user" : reader.GetString(2);
            var client = reader.IsDBNull(3) ? "local socket" : reader.GetString(3);
            var since = reader.IsDBNull(4) ? "" : $", connected since {reader.GetFieldValue<DateTimeOffset>(4):u}";
            return $"held by pid {pid}, {application}, user {user} from {client}{since}";
        }
        catch (PostgresException e)
        {
            return $"holder unknown: {e.MessageText}";
        }
    }
}
