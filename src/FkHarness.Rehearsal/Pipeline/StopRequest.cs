namespace FkHarness.Rehearsal.Pipeline;

/// <summary>
/// <c>state/stop</c> in a graph run's folder: the AppHost writes it when Ctrl+C or SIGTERM reaches
/// it. A step that starts after it (DCP may start the next step as the signal lands) runs none of
/// its stages: it records the rehearsal cancelled before them and closes it (teardown and the
/// report); a step already running stops as on a signal. The AppHost itself runs the report step
/// when no step is left to do that.
/// </summary>
internal sealed class StopRequest(RehearsalArtifacts artifacts)
{
    public string Path => System.IO.Path.Combine(artifacts.StateDirectory, "stop");

    public bool IsRequested => File.Exists(Path);

    /// <summary>Who asked ("Ctrl+C or SIGTERM to the AppHost"), as written; null when nobody did.</summary>
    public string? Reason => IsRequested ? File.ReadAllText(Path).Trim() : null;

    public async Task RequestAsync(string reason)
    {
        Directory.CreateDirectory(artifacts.StateDirectory);
        // Whole or not at all: a step may look for it at any moment.
        var partial = $"{Path}.{Environment.ProcessId}.tmp";
        await File.WriteAllTextAsync(partial, reason);
        File.Move(partial, Path, overwrite: true);
    }
}
