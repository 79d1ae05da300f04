using FkHarness.Seeder.Generation;
using Npgsql;

namespace FkHarness.Seeder.Loading;

/// <summary>An empty batch that opens a table, so a table with no rows is still copied and reported.</summary>
internal sealed class TableStart(ISeedTable table) : RowBatch
{
    public override ISeedTable Table => table;

    public override int Count => 0;

    public override void WriteTo(NpgsqlBinaryImporter importer)
    {
    }
}
