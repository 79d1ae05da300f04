using FkHarness.Provisioning;
using Microsoft.Extensions.Hosting;

namespace FkHarness.AppHost.Postgres;

/// <summary>
/// Removes the local server's folder once the app has stopped (DCP has stopped the server by
/// then); waits for the server's process to be gone first. A killed AppHost leaves this to the
/// folder's watchdog. Registered when the host makes its hosted services, before any starts: the
/// app may be stopped (Ctrl+C) while Aspire's start still waits for later steps, and this
/// service's own start would then never come.
/// </summary>
internal sealed class LocalServerFolderRemover : IHostedService
{
    public LocalServerFolderRemover(LocalServerFolder folder, IHostApplicationLifetime lifetime) =>
        lifetime.ApplicationStopped.Register(() => folder.RemoveAfterServerStops(TimeSpan.FromSeconds(20)));

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
