using System.Globalization;
using System.Security.Cryptography;

namespace FkHarness.Provisioning;

/// <summary>
/// The one place a generated password lives for a server this machine does not run itself (the
/// AppHost's <c>container</c> resource): a throwaway folder holding it twice, both files 0600,
/// once as it is (for the server's <c>POSTGRES_PASSWORD_FILE</c>) and once as libpq's password
/// file (for Npgsql's <c>Passfile</c>), so no environment variable, argument or connection string
/// has to carry it. A watchdog removes the folder once its owner process is gone, whatever way it
/// went; stale folders of dead owners are swept when a new one is made.
/// </summary>
public sealed class PasswordFolder
{
    private FolderWatchdog? watchdog;

    private PasswordFolder(string directory, string userName)
    {
        Directory = directory;
        UserName = userName;
    }

    public string Directory { get; }

    public string UserName { get; }

    /// <summary>The password alone, mode 0600 (what the official postgres image reads through POSTGRES_PASSWORD_FILE).</summary>
    public string PasswordFile => Path.Combine(Directory, "password");

    /// <summary>libpq's password file (PGPASSFILE / Npgsql's Passfile) for <see cref="UserName"/>, mode 0600.</summary>
    public string PassFile => Path.Combine(Directory, "pgpass");

    /// <summary>Chooses the folder; nothing is written yet.</summary>
    public static PasswordFolder Plan(string userName, string? parentDirectory = null)
    {
        var parent = parentDirectory ?? Path.GetTempPath();
        StaleClusterSweeper.Sweep(parent);
        var directory = Path.Combine(parent, $"{StaleClusterSweeper.Prefix}{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        return new PasswordFolder(directory, userName);
    }

    /// <summary>Generates the password and writes both files, and starts the watchdog; a second call keeps what the first wrote.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(PassFile))
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Directory);
        await File.WriteAllTextAsync(Path.Combine(Directory, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        watchdog = FolderWatchdog.Start(WatchdogScript, Directory, "password folder");
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await OwnerOnlyFile.WriteAsync(PasswordFile, password, cancellationToken);
        await OwnerOnlyFile.WriteAsync(PassFile, $"*:*:*:{UserName}:{password}\n", cancellationToken);
    }

    public void Remove()
    {
        // Its watchdog's work is done: nothing of this folder's may outlive its owner's stop.
        FolderWatchdog.RemoveFolder(Directory, watchdog);
    }

    // $1 = folder, $2 = owner pid. A session of its own, so a terminal's Ctrl+C does not end it first.
    private const string WatchdogScript = """
        trap '' INT TERM HUP
        while [ -d "/proc/$2" ]; do sleep 0.5; done
        rm -rf "$1"
        """;
}
