using FkHarness.Provisioning;
using Microsoft.Extensions.Hosting;

namespace FkHarness.AppHost.Postgres;

/// <summary>Removes the container server's password folder once the app has stopped; a killed AppHost leaves this to the folder's watchdog.</summary>
internal sealed class PasswordFolderRemover(PasswordFolder folder, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopped.Register(folder.Remove);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
