using FkHarness.Seeder.Manifest;

namespace FkHarness.Seeder.Loading;

/// <summary>
/// The manifest is written next to its destination before the load commits (a full disk fails
/// the seeding, not just the report) and moved into place only after: a manifest on disk always
/// describes a committed database.
/// </summary>
internal sealed class ManifestFile : IAsyncDisposable
{
    private readonly string? _path;
    private readonly string? _pending;
    private bool _published;

    private ManifestFile(string? path)
    {
        _path = path;
        _pending = path is null ? null : path + ".partial";
    }

    public static async Task<ManifestFile> PrepareAsync(string? path, OrphanManifest manifest, CancellationToken cancellationToken)
    {
        var file = new ManifestFile(path);
        if (file._pending is not null)
        {
            await manifest.SaveAsync(file._pending, cancellationToken);
        }

        return file;
    }

    public void Publish()
    {
        if (_pending is not null)
        {
            File.Move(_pending, _path!, overwrite: true);
        }

        _published = true;
    }

    public ValueTask DisposeAsync()
    {
        if (!_published && _pending is not null && File.Exists(_pending))
        {
            File.Delete(_pending);
        }

        return ValueTask.CompletedTask;
    }
}
