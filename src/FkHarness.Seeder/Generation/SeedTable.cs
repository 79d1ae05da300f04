using Npgsql;

namespace FkHarness.Seeder.Generation;

/// <summary>
/// Base of the per-table generators: a lazy row sequence plus how one row goes into binary COPY.
/// Rows are value types gathered into fixed-size batches, so memory stays flat however many rows
/// a table gets.
/// </summary>
internal abstract class SeedTable<TRow> : ISeedTable
{
    public abstract string Name { get; }

    public abstract IReadOnlyList<SeedColumn> Columns { get; }

    /// <summary>The rows, in id order; enumerated exactly once.</summary>
    protected abstract IEnumerable<TRow> Generate();

    /// <summary>Writes one row's values in <see cref="Columns"/> order (the row is already started).</summary>
    public abstract void Write(NpgsqlBinaryImporter importer, in TRow row);

    public IEnumerable<RowBatch> Batches(int batchSize)
    {
        var rows = new TRow[batchSize];
        var count = 0;
        foreach (var row in Generate())
        {
            rows[count++] = row;
            if (count == batchSize)
            {
                yield return new RowBatch<TRow>(this, rows, count);
                rows = new TRow[batchSize];
                count = 0;
            }
        }

        if (count > 0)
        {
            yield return new RowBatch<TRow>(this, rows, count);
        }
    }
}
