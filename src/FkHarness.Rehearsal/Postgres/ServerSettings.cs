using Npgsql;

namespace FkHarness.Rehearsal.Postgres;

/// <summary>
/// The server settings that decide how far the rehearsal's timings carry to staging: durability
/// (fsync, synchronous_commit, full_page_writes), memory for index builds and scans, WAL size.
/// </summary>
internal static class ServerSettings
{
    public static readonly string[] Names =
    [
        "server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers", "work_mem",
        "maintenance_work_mem", "max_wal_size", "max_parallel_maintenance_workers", "jit", "lock_timeout", "statement_timeout",
    ];

    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT name, setting || coalesce(' ' || nullif(unit, ''), '') FROM pg_settings WHERE name = ANY ($1) ORDER BY array_position($1, name)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Names });
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            settings[reader.GetString(0)] = reader.GetString(1);
        }

        return settings;
    }

    /// <summary>What a reader must know before carrying this run's timings to staging.</summary>
    public static string Meaning(IReadOnlyDictionary<string, string> settings)
    {
        var durable = settings.GetValueOrDefault("fsync") != "off" && settings.GetValueOrDefault("synchronous_commit") != "off";
        return durable
            ? "The server was durable (fsync and synchronous_commit on), as staging is: each COMMIT waited for its WAL flush, as it will there. Timings still depend on the data's size and the hardware."
            : "A throwaway server tuned for speed: fsync, synchronous_commit (and full_page_writes) off, so no COMMIT waited for a disk flush. " +
              "Each of 025's many short transactions (one per constraint, per cleanup batch, per VALIDATE) and each write of the traffic costs a WAL flush on staging: " +
              "read these timings as a lower bound, and lock holds of catalog-only steps (NOT VALID, CREATE TRIGGER) as growing by a flush each (about a millisecond on SSDs, more on network storage). " +
              "Scans and index builds (VALIDATE, CREATE INDEX CONCURRENTLY) depend mostly on the data's size, memory and disks, not on these settings.";
    }
}
