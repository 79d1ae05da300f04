using System.Text;

namespace FkHarness.Provisioning;

/// <summary>Writes a file only its owner can read (0600), created with that mode: never readable by others, not even for an instant.</summary>
public static class OwnerOnlyFile
{
    public static async Task WriteAsync(string path, string contents, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(contents), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file; one that was there keeps its mode unless reset.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
