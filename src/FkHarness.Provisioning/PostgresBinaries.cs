namespace FkHarness.Provisioning;

/// <summary>The PostgreSQL server programs of this machine, all from one installation.</summary>
public sealed record PostgresBinaries(string BinDirectory)
{
    private const string DebianRoot = "/usr/lib/postgresql";

    public string Initdb => Path.Combine(BinDirectory, "initdb");
    public string Postgres => Path.Combine(BinDirectory, "postgres");
    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");
    public string PgDump => Path.Combine(BinDirectory, "pg_dump");
    public string PgRestore => Path.Combine(BinDirectory, "pg_restore");
    public string Psql => Path.Combine(BinDirectory, "psql");

    /// <summary>
    /// Finds initdb and postgres side by side: on PATH first (resolving links such as
    /// /usr/local/bin/initdb → /usr/lib/postgresql/15/bin/initdb), then the newest
    /// /usr/lib/postgresql/*/bin. Debian's /usr/bin wrappers hold no initdb, which is why
    /// the versioned directory is the fallback.
    /// </summary>
    public static PostgresBinaries Locate()
    {
        var tried = new List<string>();
        foreach (var directory in CandidateDirectories())
        {
            tried.Add(directory);
            if (File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "postgres")))
            {
                return new PostgresBinaries(directory);
            }
        }

        throw new ProvisioningException(
            "PostgreSQL server binaries (initdb, postgres) were not found. Looked in: " +
            (tried.Count == 0 ? "(no candidate directories)" : string.Join(", ", tried)) +
            ". Install them (Debian/Ubuntu: apt-get install postgresql) or rehearse on an existing server " +
            "with --connection-string \"Host=...;Username=...;Password=...\".");
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var entry in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(entry, "initdb");
            if (File.Exists(initdb))
            {
                var target = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
                yield return Path.GetDirectoryName(target)!;
            }
        }

        if (Directory.Exists(DebianRoot))
        {
            var versions = Directory.GetDirectories(DebianRoot)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .OrderByDescending(d => d.Version);
            foreach (var (dir, _) in versions)
            {
                yield return Path.Combine(dir, "bin");
            }
        }
    }
}
