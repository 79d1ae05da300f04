using FkHarness.Provisioning;

namespace FkHarness.AppHost.Postgres;

/// <summary>
/// The local server's initdb, started once: as the app starts (BeforeStartEvent, before DCP is
/// started), so that it runs while DCP comes up instead of after, when DCP asks for the server
/// (BeforeResourceStartedEvent awaits the same task; a restart from the dashboard reuses the
/// folder it made).
/// </summary>
internal sealed class LocalServerInitialization(LocalServerFolder folder)
{
    private readonly Lock gate = new();
    private Task? initializing;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return initializing ??= folder.InitializeAsync(cancellationToken);
        }
    }
}
