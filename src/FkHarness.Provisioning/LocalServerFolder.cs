using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace FkHarness.Provisioning;

/// <summary>
/// The folder of a PostgreSQL server that someone else runs (DCP, for the AppHost's <c>local</c>
/// resource): initdb'd here beforehand with a generated password, the server's command line given
/// back to run, the password only in a 0600 libpq password file. A watchdog removes the folder
/// once its owner process is gone, whatever way it went (SIGKILL included), stopping the server
/// first if nobody did; stale folders of dead owners are swept when a new one is made.
/// </summary>
public sealed class LocalServerFolder
{
    private readonly ServerProcessUser user;
    private FolderWatchdog? watchdog;

    private LocalServerFolder(PostgresBinaries binaries, string directory, int port, ServerProcessUser user)
    {
        Binaries = binaries;
        Directory = directory;
        Port = port;
        this.user = user;
    }

    public PostgresBinaries Binaries { get; }

    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>libpq's password file for the superuser (PGPASSFILE / Npgsql's Passfile), mode 0600.</summary>
    public string PasswordFile => Path.Combine(Directory, "pgpass");

    public int Port { get; }

    public static string SuperUser => ThrowawayCluster.SuperUser;

    /// <summary>Chooses the folder and port; nothing runs yet. <paramref name="port"/> 0 picks a free one.</summary>
    public static LocalServerFolder Plan(int port, string? parentDirectory = null)
    {
        var binaries = PostgresBinaries.Locate();
        var parent = parentDirectory ?? Path.GetTempPath();
        StaleClusterSweeper.Sweep(parent);
        var directory = Path.Combine(parent, $"{StaleClusterSweeper.Prefix}{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        return new LocalServerFolder(binaries, directory, port != 0 ? port : LoopbackPort.FindFree(), ServerProcessUser.For("postgres"));
    }

    /// <summary>initdb as the service user, the password file, and the watchdog that removes the folder after its owner.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await File.WriteAllTextAsync(Path.Combine(Directory, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        watchdog = FolderWatchdog.Start(WatchdogScript, Directory, "cluster folder");
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await ThrowawayCluster.InitDatabaseClusterAsync(Binaries, user, Directory, password, cancellationToken);
        await OwnerOnlyFile.WriteAsync(PasswordFile, $"*:*:*:{SuperUser}:{password}\n", cancellationToken);
    }

    /// <summary>The server's command line: postgres itself (through setpriv under root, which execs it, so a stop signal reaches the server).</summary>
    public (string Program, IReadOnlyList<string> Arguments) ServerCommand()
    {
        List<string> server = [Binaries.Postgres, "-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture)];
        foreach (var (name, value) in ServerSettings.For(Directory))
        {
            server.Add("-c");
            server.Add($"{name}={value}");
        }

        return user.SwitchTo is { } serviceUser
            ? ("/usr/bin/setpriv", [$"--reuid={serviceUser}", $"--regid={serviceUser}", "--init-groups", .. server])
            : (server[0], server[1..]);
    }

    /// <summary>Removes the folder once the server that ran in it is gone (waiting at most <paramref name="timeout"/>, then ending it).</summary>
    public void RemoveAfterServerStops(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ServerProcessId() is { } pid && System.IO.Directory.Exists($"/proc/{pid}"))
        {
            if (DateTime.UtcNow > deadline)
            {
                try
                {
                    Process.GetProcessById(pid).Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone in the meantime.
                }

                break;
            }

            Thread.Sleep(100);
        }

        // Its watchdog's work is done: nothing of this folder's may outlive its owner's stop.
        FolderWatchdog.RemoveFolder(Directory, watchdog);
    }

    private int? ServerProcessId()
    {
        try
        {
            var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    // $1 = folder, $2 = owner pid. Started in a session of its own so a terminal's Ctrl+C does not end it first.
    private const string WatchdogScript = """
        dir="$1"; owner="$2"
        trap '' INT TERM HUP
        while [ -d "/proc/$owner" ]; do sleep 0.5; done
        pg=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
        if [ -n "$pg" ] && kill -0 "$pg" 2>/dev/null; then
          kill -INT "$pg" 2>/dev/null
          i=0; while kill -0 "$pg" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.2; i=$((i+1)); done
          kill -KILL "$pg" 2>/dev/null
        fi
        rm -rf "$dir"
        """;
}
