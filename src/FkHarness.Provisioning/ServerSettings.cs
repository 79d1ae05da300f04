namespace FkHarness.Provisioning;

/// <summary>
/// Server settings for a throwaway cluster: loopback only, and durability traded for speed
/// (nothing here must survive a crash of the machine).
/// </summary>
internal static class ServerSettings
{
    public static IEnumerable<KeyValuePair<string, string>> For(string clusterDirectory) =>
    [
        new("listen_addresses", "127.0.0.1"),
        new("unix_socket_directories", clusterDirectory),
        new("fsync", "off"),
        new("synchronous_commit", "off"),
        new("full_page_writes", "off"),
        new("max_connections", "200"),
        new("shared_buffers", "256MB"),
        new("max_wal_size", "4GB"),
        new("checkpoint_timeout", "30min"),
        new("maintenance_work_mem", "256MB"),
        new("log_min_messages", "warning"),
    ];
}
