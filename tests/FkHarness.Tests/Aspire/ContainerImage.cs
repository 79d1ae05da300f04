using System.Diagnostics;

namespace FkHarness.Tests.Aspire;

/// <summary>
/// The PostgreSQL image scripts/build-postgres-image.sh builds from Debian packages (no registry is
/// needed to run it). The container test makes sure it exists, so a plain `dotnet test` on a fresh
/// machine works as `.ci/run` does: the script is idempotent (a built image is kept) and also writes
/// the repository's .podman/containers.conf that the AppHost uses.
/// </summary>
internal static class ContainerImage
{
    public const string Name = "localhost/fkharness-postgres:15";

    private static readonly Lazy<Task> Built = new(BuildAsync);

    public static Task EnsureBuiltAsync() => Built.Value;

    private static async Task BuildAsync()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "scripts", "build-postgres-image.sh")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("scripts/build-postgres-image.sh was not found above " + AppContext.BaseDirectory);
        }

        using var script = Process.Start(new ProcessStartInfo("bash", ["scripts/build-postgres-image.sh"])
        {
            WorkingDirectory = root.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = script.StandardOutput.ReadToEndAsync();
        var errors = script.StandardError.ReadToEndAsync();
        // Installing podman and building the image from Debian packages takes a minute or two on a fresh machine.
        await script.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(15));
        if (script.ExitCode != 0)
        {
            throw new InvalidOperationException($"bash scripts/build-postgres-image.sh exited {script.ExitCode}; run it by hand to see why.\n{await output}\n{await errors}");
        }
    }
}
