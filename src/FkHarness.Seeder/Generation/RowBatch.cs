using Npgsql;

namespace FkHarness.Seeder.Generation;

/// <summary>A run of generated rows of one table, handed from the generator to the COPY writer.</summary>
internal abstract class RowBatch
{
    public abstract ISeedTable Table { get; }

    public abstract int Count { get; }

    public abstract void WriteTo(NpgsqlBinaryImporter importer);
}

internal sealed class RowBatch<TRow>(SeedTable<TRow> table, TRow[] rows, int count) : RowBatch
{
    public override ISeedTable Table => table;

    public override int Count => count;

    public override void WriteTo(NpgsqlBinaryImporter importer)
    {
        for (var i = 0; i < count; i++)
        {
            importer.StartRow();
            table.Write(importer, in rows[i]);
        }
    }
}
