using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// The throwaway cluster is reachable from this machine only, and only with its generated password:
/// no listening socket on any other address, and no pg_hba rule that lets anyone in without it.
/// (Provisioning/ThrowawayClusterTests checks listen_addresses and that a wrong password is refused.)
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class ClusterExposureTests(PostgresFixture fixture)
{
    [Fact]
    public async Task NoAddressButLoopback_AcceptsAConnection()
    {
        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address))
            .Where(a => !IPAddress.IsLoopback(a) && a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal)
            .ToList();

        foreach (var address in addresses)
        {
            using var client = new TcpClient(address.AddressFamily);
            var refused = await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(address, fixture.Cluster.Port).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        using var loopback = new TcpClient();
        await loopback.ConnectAsync(IPAddress.Loopback, fixture.Cluster.Port).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(loopback.Connected);
    }

    [Fact]
    public async Task EveryWayIn_AsksForThePassword()
    {
        await using var connection = new NpgsqlConnection(fixture.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT type || ' ' || coalesce(address, '-') || ' ' || auth_method FROM pg_hba_file_rules ORDER BY line_number", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rules = new List<string>();
        while (await reader.ReadAsync())
        {
            rules.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        }

        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.EndsWith(" scram-sha-256", rule, StringComparison.Ordinal));
        Assert.All(rules.Where(r => r.StartsWith("host", StringComparison.Ordinal)),
            rule => Assert.Matches(@"^host (127\.0\.0\.1|::1) ", rule));
        Assert.Equal(32, fixture.Cluster.Password.Length);
    }
}
