using FkHarness.Provisioning;
using Npgsql;

namespace FkHarness.Tests.Provisioning;

/// <summary>The cluster's own life cycle: each test starts and stops a cluster of its own.</summary>
public sealed class ThrowawayClusterTests
{
    [Fact]
    public async Task Start_GivesALoopbackServerWithAGeneratedPassword_AndDisposeDeletesIt()
    {
        var cluster = await ThrowawayCluster.StartAsync(new ThrowawayClusterOptions(), CancellationToken.None);
        var directory = cluster.Directory;
        try
        {
            await using var connection = new NpgsqlConnection(cluster.ConnectionString());
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_setting('listen_addresses') || ' ' || current_setting('fsync')", connection);
            Assert.Equal("127.0.0.1 off", await command.ExecuteScalarAsync());
            Assert.Equal(32, cluster.Password.Length);

            var wrongPassword = new NpgsqlConnectionStringBuilder(cluster.ConnectionString()) { Password = "not-it", Pooling = false };
            await using var intruder = new NpgsqlConnection(wrongPassword.ConnectionString);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => intruder.OpenAsync());
            Assert.Equal("28P01", refused.SqlState);
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        Assert.False(Directory.Exists(directory));
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Start_OnABusyPort_FailsWithAClearMessage_AndLeavesNothingBehind()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var busy = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var parent = ReachableTempDirectory();

        var error = await Assert.ThrowsAsync<ProvisioningException>(() =>
            ThrowawayCluster.StartAsync(new ThrowawayClusterOptions { Port = busy, ParentDirectory = parent }, CancellationToken.None));

        Assert.Contains($"Port {busy}", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(parent));
        Directory.Delete(parent);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Start_WhenTheServerRefusesToStart_QuotesItsLog_AndLeavesNothingBehind()
    {
        var parent = ReachableTempDirectory();
        var options = new ThrowawayClusterOptions
        {
            ParentDirectory = parent,
            Settings = new Dictionary<string, string> { ["shared_buffers"] = "plenty" },
        };

        var error = await Assert.ThrowsAsync<ProvisioningException>(() => ThrowawayCluster.StartAsync(options, CancellationToken.None));

        Assert.Contains("shared_buffers", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(parent));
        Directory.Delete(parent);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Sweep_RemovesTheFolderOfADeadRun()
    {
        var parent = ReachableTempDirectory();
        var stale = Directory.CreateDirectory(Path.Combine(parent, "fkharness-999999-dead")).FullName;
        await File.WriteAllTextAsync(Path.Combine(stale, "owner.pid"), "999999999");

        var cluster = await ThrowawayCluster.StartAsync(new ThrowawayClusterOptions { ParentDirectory = parent }, CancellationToken.None);
        await cluster.DisposeAsync();

        Assert.False(Directory.Exists(stale));
        Directory.Delete(parent, recursive: true);
    }

    // A folder of this test's own, which the server can reach when it runs as another OS user.
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static string ReachableTempDirectory()
    {
        var parent = Directory.CreateTempSubdirectory("fkh-cluster-test-").FullName;
        File.SetUnixFileMode(parent, (UnixFileMode)0b111_101_101);
        return parent;
    }
}
