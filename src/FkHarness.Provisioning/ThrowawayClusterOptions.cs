namespace FkHarness.Provisioning;

/// <summary>How to start a throwaway cluster. The defaults suit a rehearsal on this machine.</summary>
public sealed record ThrowawayClusterOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Where cluster directories live; each run gets its own fkharness-* folder inside.</summary>
    public string ParentDirectory { get; init; } = Path.GetTempPath();

    /// <summary>The OS user the server runs as when this process is root (PostgreSQL refuses root).</summary>
    public string ServiceUser { get; init; } = "postgres";

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Extra <c>-c name=value</c> server settings, on top of the speed settings.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}
