using System.Diagnostics;
using System.Threading.Channels;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Progress;
using Npgsql;

namespace FkHarness.Seeder.Loading;

/// <summary>
/// Streams generated rows into binary COPY, one table after another, on one connection. With
/// <c>overlap</c>, generation runs on its own task and hands batches over a small bounded channel:
/// generating (Bogus, string building) and serialising/sending (Npgsql) then use both cores, and the
/// channel's bound keeps memory flat. Without it, both happen on one thread (the benchmark compares).
/// </summary>
internal sealed class CopyPipeline(NpgsqlConnection connection, ISeedProgress progress, bool overlap = true)
{
    public const int BatchSize = 2_000;
    private const int ChannelCapacity = 8; // batches in flight: ~16k rows, a few MB at most

    public async Task<IReadOnlyList<TableLoad>> RunAsync(
        IReadOnlyList<ISeedTable> tables, IReadOnlyDictionary<string, long> expectedRows, CancellationToken cancellationToken)
    {
        if (!overlap)
        {
            return await ConsumeAsync(Produce(tables).ToAsyncEnumerable(), expectedRows, cancellationToken);
        }

        var channel = Channel.CreateBounded<RowBatch>(new BoundedChannelOptions(ChannelCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(tables, channel.Writer, stop.Token), stop.Token);
        try
        {
            return await ConsumeAsync(channel.Reader.ReadAllAsync(stop.Token), expectedRows, stop.Token);
        }
        catch
        {
            await stop.CancelAsync(); // a failed COPY: stop generating rows nobody will read
            throw;
        }
        finally
        {
            // Observe the producer so its exception (if it is the cause) is not lost; the consumer's
            // ReadAllAsync already rethrew it when the writer completed with it.
            await producer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static IEnumerable<RowBatch> Produce(IReadOnlyList<ISeedTable> tables)
    {
        foreach (var table in tables)
        {
            yield return new TableStart(table);
            foreach (var batch in table.Batches(BatchSize))
            {
                yield return batch;
            }
        }
    }

    private static async Task ProduceAsync(IReadOnlyList<ISeedTable> tables, ChannelWriter<RowBatch> writer, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var batch in Produce(tables))
            {
                await writer.WriteAsync(batch, cancellationToken);
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e);
        }
    }

    private async Task<IReadOnlyList<TableLoad>> ConsumeAsync(
        IAsyncEnumerable<RowBatch> batches, IReadOnlyDictionary<string, long> expectedRows, CancellationToken cancellationToken)
    {
        var loads = new List<TableLoad>();
        NpgsqlBinaryImporter? importer = null;
        ISeedTable? current = null;
        long rows = 0;
        var clock = new Stopwatch();
        try
        {
            await foreach (var batch in batches.WithCancellation(cancellationToken))
            {
                if (!ReferenceEquals(batch.Table, current))
                {
                    if (importer is not null)
                    {
                        loads.Add(await FinishAsync(importer, current!, rows, clock, cancellationToken));
                        importer = null;
                    }

                    current = batch.Table;
                    rows = 0;
                    clock.Restart();
                    progress.TableStarted(current.Name, expectedRows.GetValueOrDefault(current.Name));
                    importer = await connection.BeginBinaryImportAsync(current.CopyCommand, cancellationToken);
                }

                batch.WriteTo(importer!);
                rows += batch.Count;
                if (batch.Count > 0)
                {
                    progress.RowsWritten(current.Name, rows);
                }
            }

            if (importer is not null)
            {
                loads.Add(await FinishAsync(importer, current!, rows, clock, cancellationToken));
                importer = null;
            }

            return loads;
        }
        finally
        {
            if (importer is not null)
            {
                await importer.DisposeAsync(); // not completed: Npgsql cancels the COPY
            }
        }
    }

    private async Task<TableLoad> FinishAsync(
        NpgsqlBinaryImporter importer, ISeedTable table, long rows, Stopwatch clock, CancellationToken cancellationToken)
    {
        await importer.CompleteAsync(cancellationToken);
        await importer.DisposeAsync();
        var load = new TableLoad(table.Name, rows, clock.Elapsed);
        progress.TableFinished(load);
        return load;
    }
}
