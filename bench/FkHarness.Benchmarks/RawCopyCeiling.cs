using System.Diagnostics;
using Npgsql;

namespace FkHarness.Benchmarks;

/// <summary>
/// The ceiling: the very rows the seeder wrote, exported with COPY TO (FORMAT BINARY) into memory,
/// then copied into a fresh baseline with nothing to do on the client but write bytes. Same tables,
/// same order, same indexes and FK checks, one transaction: the rate the server can take them at.
/// </summary>
internal static class RawCopyCeiling
{
    public static async Task<IReadOnlyList<(string Table, string Columns, byte[] Data)>> ExportAsync(
        string connectionString, IEnumerable<(string Table, string Columns)> tables, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var exported = new List<(string, string, byte[])>();
        foreach (var (table, columns) in tables)
        {
            await using var source = await connection.BeginRawBinaryCopyAsync(
                $"COPY public.{table} ({columns}) TO STDOUT (FORMAT BINARY)", cancellationToken);
            using var buffer = new MemoryStream();
            await source.CopyToAsync(buffer, cancellationToken);
            exported.Add((table, columns, buffer.ToArray()));
        }

        return exported;
    }

    /// <summary>Copies the exported bytes in; returns the time from the first COPY to the commit.</summary>
    public static async Task<TimeSpan> ImportAsync(
        string connectionString, IReadOnlyList<(string Table, string Columns, byte[] Data)> tables, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (table, columns, data) in tables)
        {
            await using var target = await connection.BeginRawBinaryCopyAsync(
                $"COPY public.{table} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            await target.WriteAsync(data, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return clock.Elapsed;
    }
}
