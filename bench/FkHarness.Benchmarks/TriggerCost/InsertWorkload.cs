using System.Diagnostics;
using System.Text;
using FkHarness.Benchmarks.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>Inserts a set of rows one of the three ways, and measures wall time and the backends' CPU.</summary>
internal sealed class InsertWorkload(BenchSessions sessions, TriggerCostOptions options)
{
    public Task<Measurement> RunAsync(InsertMethod method, InsertShape shape, InsertRows rows, CancellationToken cancellationToken) => method switch
    {
        InsertMethod.Copy => CopyAsync(shape, rows, cancellationToken),
        InsertMethod.MultiRowInsert => MultiRowAsync(shape, rows, cancellationToken),
        _ => SingleRowAsync(shape, rows, cancellationToken),
    };

    private async Task<Measurement> CopyAsync(InsertShape shape, InsertRows rows, CancellationToken cancellationToken)
    {
        var cpu = BackendCpu.Read(sessions.BulkPid);
        var clock = Stopwatch.StartNew();
        await using (var import = await sessions.Bulk.BeginBinaryImportAsync(
            $"COPY {shape.Table} (deployment_id, approved_by) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(rows.Deployments[i], NpgsqlDbType.Bigint, cancellationToken);
                if (shape.IsArray)
                {
                    await import.WriteAsync(rows.Approvers[i], NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken);
                }
                else
                {
                    await import.WriteAsync(rows.Approvers[i][0], NpgsqlDbType.Bigint, cancellationToken);
                }
            }

            await import.CompleteAsync(cancellationToken);
        }

        return new Measurement(clock.Elapsed, BackendCpu.Read(sessions.BulkPid) - cpu);
    }

    private async Task<Measurement> MultiRowAsync(InsertShape shape, InsertRows rows, CancellationToken cancellationToken)
    {
        var perStatement = options.RowsPerInsert;
        await using var command = new NpgsqlCommand(MultiRowSql(shape.Table, perStatement), sessions.Bulk);
        for (var p = 0; p < perStatement; p++)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = shape.IsArray ? NpgsqlDbType.Array | NpgsqlDbType.Bigint : NpgsqlDbType.Bigint });
        }

        await command.PrepareAsync(cancellationToken);
        var cpu = BackendCpu.Read(sessions.BulkPid);
        var clock = Stopwatch.StartNew();
        for (var start = 0; start + perStatement <= rows.Count; start += perStatement)
        {
            for (var p = 0; p < perStatement; p++)
            {
                command.Parameters[2 * p].Value = rows.Deployments[start + p];
                command.Parameters[(2 * p) + 1].Value = shape.IsArray ? rows.Approvers[start + p] : rows.Approvers[start + p][0];
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new Measurement(clock.Elapsed, BackendCpu.Read(sessions.BulkPid) - cpu);
    }

    private async Task<Measurement> SingleRowAsync(InsertShape shape, InsertRows rows, CancellationToken cancellationToken)
    {
        var clients = sessions.Clients.Count;
        var commands = new List<NpgsqlCommand>();
        foreach (var connection in sessions.Clients)
        {
            var command = new NpgsqlCommand($"INSERT INTO {shape.Table} (deployment_id, approved_by) VALUES ($1, $2)", connection);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = shape.IsArray ? NpgsqlDbType.Array | NpgsqlDbType.Bigint : NpgsqlDbType.Bigint });
            await command.PrepareAsync(cancellationToken);
            commands.Add(command);
        }

        var cpu = BackendCpu.Read(sessions.ClientPids);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(commands.Select((command, client) => Task.Run(async () =>
        {
            for (var i = client; i < rows.Count; i += clients)
            {
                command.Parameters[0].Value = rows.Deployments[i];
                command.Parameters[1].Value = shape.IsArray ? rows.Approvers[i] : rows.Approvers[i][0];
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken)));
        var measurement = new Measurement(clock.Elapsed, BackendCpu.Read(sessions.ClientPids) - cpu);
        foreach (var command in commands)
        {
            await command.DisposeAsync();
        }

        return measurement;
    }

    private static string MultiRowSql(string table, int rows)
    {
        var sql = new StringBuilder($"INSERT INTO {table} (deployment_id, approved_by) VALUES ");
        for (var p = 0; p < rows; p++)
        {
            sql.Append(p == 0 ? "($" : ", ($").Append((2 * p) + 1).Append(", $").Append((2 * p) + 2).Append(')');
        }

        return sql.ToString();
    }
}
