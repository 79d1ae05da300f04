using FkHarness.Provisioning;

namespace FkHarness.Tests.Infrastructure;

/// <summary>
/// One throwaway cluster per test run, shared by every test collection, so collections can run
/// in parallel against one server. Stopped when the test host exits (and by the cluster's
/// watchdog if the host is killed).
/// </summary>
internal static class SharedCluster
{
    private static readonly Lazy<Task<ThrowawayCluster>> Instance = new(StartAsync);

    public static Task<ThrowawayCluster> GetAsync() => Instance.Value;

    private static async Task<ThrowawayCluster> StartAsync()
    {
        var cluster = await ThrowawayCluster.StartAsync(new ThrowawayClusterOptions(), CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return cluster;
    }
}
