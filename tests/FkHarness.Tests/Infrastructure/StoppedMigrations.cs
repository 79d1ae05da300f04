namespace FkHarness.Tests.Infrastructure;

/// <summary>
/// A copy of the shipped migrations in which one script stops at a chosen point: a statement of the
/// test's own is inserted right after the first line starting with the anchor (a RAISE, to fail
/// there; an advisory lock the test holds, to be killed there). Deleted on dispose.
/// </summary>
public sealed class StoppedMigrations : IDisposable
{
    private StoppedMigrations(string path) => Path = path;

    public string Path { get; }

    public static StoppedMigrations After(string file, string anchor, string statement)
    {
        // Not "fkharness-*": the cluster's stale-folder sweeper deletes those.
        var target = Directory.CreateTempSubdirectory("fkh-stopped-migrations-").FullName;
        foreach (var source in Directory.GetFiles(MigrationFiles.Directory, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(MigrationFiles.Directory, source));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(source, destination);
        }

        var script = System.IO.Path.Combine(target, System.IO.Path.GetFileName(file));
        var lines = File.ReadAllLines(script).ToList();
        var at = lines.FindIndex(line => line.StartsWith(anchor, StringComparison.Ordinal));
        if (at < 0)
        {
            throw new InvalidOperationException($"{System.IO.Path.GetFileName(file)} has no line starting with '{anchor}'");
        }

        lines.Insert(at + 1, statement);
        File.WriteAllLines(script, lines);
        return new StoppedMigrations(target);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
