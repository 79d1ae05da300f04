namespace FkHarness.Rehearsal.Pipeline;

/// <summary>
/// The files by which a rehearsal's steps and its synthetic traffic (a step of its own, with
/// --traffic) signal each other in <c>&lt;run folder&gt;/state/</c>: traffic.ready once the
/// writers finished their before-window, traffic.stop once the migrations are over (the last
/// migrate step, and any step that failed or was cancelled, write it), traffic.json what the
/// writers measured, read into the report.
/// </summary>
internal sealed class TrafficSignals(RehearsalArtifacts artifacts)
{
    public string Ready => Path.Combine(artifacts.StateDirectory, "traffic.ready");

    public string Stop => Path.Combine(artifacts.StateDirectory, "traffic.stop");

    public string Result => Path.Combine(artifacts.StateDirectory, "traffic.json");

    /// <summary>Tells the writers to finish: the migrations they measure are over (or stopped).</summary>
    public async Task StopAsync()
    {
        Directory.CreateDirectory(artifacts.StateDirectory);
        await File.WriteAllTextAsync(Stop, DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }
}
