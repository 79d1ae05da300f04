using FkHarness.Provisioning;
using Microsoft.Extensions.Hosting;

namespace FkHarness.AppHost.Postgres;

/// <summary>
/// Removes the local server's folder once the app has stopped (DCP has stopped the server by
/// then); waits for the server's process to be gone first. A killed AppHost leaves this to the
/// folder's watchdog.
/// </summary>
internal sealed class LocalServerFolderRemover(LocalServerFolder folder, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopped.Register(() => folder.RemoveAfterServerStops(TimeSpan.FromSeconds(20)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
