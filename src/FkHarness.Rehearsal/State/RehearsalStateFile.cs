using System.Text.Json;
using FkHarness.Catalog;
using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.Rehearsal.State;

/// <summary>
/// <c>&lt;run folder&gt;/state/context.json</c>: written after every step, whole or not at all
/// (a temporary file renamed over it), readable by its owner only (0600), as the rest of a run's
/// secrets-adjacent files are.
/// </summary>
internal sealed class RehearsalStateFile(string runFolder)
{
    private static readonly UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Directory => System.IO.Path.Combine(System.IO.Path.GetFullPath(runFolder), RehearsalArtifacts.StateFolderName);

    public string Path => System.IO.Path.Combine(Directory, "context.json");

    public bool Exists => File.Exists(Path);

    public async Task<RehearsalState?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return null;
        }

        await using var stream = File.OpenRead(Path);
        var state = await JsonSerializer.DeserializeAsync<RehearsalState>(stream, ForeignKeyCatalog.JsonOptions, cancellationToken)
            ?? throw new InvalidDataException($"{Path} is empty.");
        return state.Format == RehearsalState.CurrentFormat
            ? state
            : throw new InvalidDataException($"{Path} has state format {state.Format}; this build reads format {RehearsalState.CurrentFormat}.");
    }

    public async Task SaveAsync(RehearsalState state, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = $"{Path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        await using (var stream = new FileStream(temporary, options))
        {
            await JsonSerializer.SerializeAsync(stream, state, ForeignKeyCatalog.JsonOptions, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
