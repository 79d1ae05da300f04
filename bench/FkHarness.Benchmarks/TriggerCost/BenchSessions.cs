using FkHarness.Benchmarks.Infrastructure;
using Npgsql;

namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>
/// The connections scenario 3 inserts through, opened once and kept: one for bulk loads, one per
/// single-row client. Kept open so that every run pays the same (warm) session costs, and so that
/// their server backends' CPU time can be read.
/// </summary>
internal sealed class BenchSessions : IAsyncDisposable
{
    private BenchSessions(NpgsqlConnection bulk, int bulkPid, IReadOnlyList<NpgsqlConnection> clients, IReadOnlyList<int> clientPids)
    {
        Bulk = bulk;
        BulkPid = bulkPid;
        Clients = clients;
        ClientPids = clientPids;
    }

    public NpgsqlConnection Bulk { get; }

    public int BulkPid { get; }

    public IReadOnlyList<NpgsqlConnection> Clients { get; }

    public IReadOnlyList<int> ClientPids { get; }

    public static async Task<BenchSessions> OpenAsync(string connectionString, int clients, CancellationToken cancellationToken)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        var bulk = new NpgsqlConnection(unpooled);
        await bulk.OpenAsync(cancellationToken);
        var connections = new List<NpgsqlConnection>();
        var pids = new List<int>();
        for (var i = 0; i < clients; i++)
        {
            var connection = new NpgsqlConnection(unpooled);
            await connection.OpenAsync(cancellationToken);
            connections.Add(connection);
            pids.Add(await BackendCpu.PidAsync(connection, cancellationToken));
        }

        return new BenchSessions(bulk, await BackendCpu.PidAsync(bulk, cancellationToken), connections, pids);
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, Bulk) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Bulk.DisposeAsync();
        foreach (var client in Clients)
        {
            await client.DisposeAsync();
        }
    }
}
