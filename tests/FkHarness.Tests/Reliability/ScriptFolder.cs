namespace FkHarness.Tests.Reliability;

/// <summary>A temporary migrations folder with scripts of a test's own (001_name.up.sql / .down.sql); deleted on dispose.</summary>
internal sealed class ScriptFolder : IDisposable
{
    // Not "fkharness-*": the cluster's stale-folder sweeper deletes those.
    public string Path { get; } = Directory.CreateTempSubdirectory("fkh-reliability-scripts-").FullName;

    public ScriptFolder With(string name, string up, string down = "SELECT 1;\n")
    {
        File.WriteAllText(System.IO.Path.Combine(Path, name + ".up.sql"), up);
        File.WriteAllText(System.IO.Path.Combine(Path, name + ".down.sql"), down);
        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
