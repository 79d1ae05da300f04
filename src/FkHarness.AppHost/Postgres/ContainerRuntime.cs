using CliWrap.Buffered;

namespace FkHarness.AppHost.Postgres;

/// <summary>
/// Finds the container runtime that answers (Docker, else Podman) and tells Aspire which it is;
/// for Podman, uses the containers.conf scripts/build-postgres-image.sh wrote under the
/// repository's .podman/ folder when CONTAINERS_CONF is not set (a docker CLI without a daemon
/// does not count: Aspire would call it unhealthy).
/// </summary>
internal static class ContainerRuntime
{
    public static async Task<string?> PrepareAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("CONTAINERS_CONF") is null && FindRepositoryConf() is { } conf)
        {
            Environment.SetEnvironmentVariable("CONTAINERS_CONF", conf);
        }

        var requested = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME");
        foreach (var runtime in new[] { requested, "docker", "podman" }.OfType<string>().Distinct())
        {
            if (await AnswersAsync(runtime, cancellationToken))
            {
                Environment.SetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME", runtime);
                return runtime;
            }
        }

        return null;
    }

    private static async Task<bool> AnswersAsync(string runtime, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            var info = await CliWrap.Cli.Wrap(runtime).WithArguments(["info"]).WithValidation(CliWrap.CommandResultValidation.None).ExecuteBufferedAsync(limit.Token);
            return info.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string? FindRepositoryConf()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var conf = Path.Combine(directory.FullName, ".podman", "containers.conf");
                if (File.Exists(conf))
                {
                    return conf;
                }
            }
        }

        return null;
    }
}
