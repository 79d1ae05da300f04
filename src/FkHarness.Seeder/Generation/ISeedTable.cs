namespace FkHarness.Seeder.Generation;

/// <summary>One table the seeder fills: its columns, and its rows in batches, generated lazily.</summary>
internal interface ISeedTable
{
    string Name { get; }

    IReadOnlyList<SeedColumn> Columns { get; }

    /// <summary>The binary COPY command for exactly <see cref="Columns"/>.</summary>
    string CopyCommand => $"COPY public.{Name} ({string.Join(", ", Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";

    IEnumerable<RowBatch> Batches(int batchSize);
}
