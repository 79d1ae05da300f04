using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.Afterwards;

/// <summary>
/// state/command-NAME.answer: the one line a command's process answers with (what it did, or why
/// it refused), written before it exits, so the AppHost can give it as the dashboard's answer
/// without parsing the process's log.
/// </summary>
internal static class CommandAnswer
{
    public static string PathFor(string runFolder, string step) =>
        Path.Combine(Path.GetFullPath(runFolder), RehearsalArtifacts.StateFolderName, $"{step}.answer");

    public static async Task WriteAsync(string runFolder, string step, string answer)
    {
        var path = PathFor(runFolder, step);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path + ".partial", answer);
        File.Move(path + ".partial", path, overwrite: true);
    }

    /// <summary>The answer, or null when the process wrote none (it did not start, or was killed).</summary>
    public static string? Read(string runFolder, string step)
    {
        var path = PathFor(runFolder, step);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    /// <summary>Before a start: an answer left by an earlier run of the same command is not this one's.</summary>
    public static void Clear(string runFolder, string step) => File.Delete(PathFor(runFolder, step));
}
