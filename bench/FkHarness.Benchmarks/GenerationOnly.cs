using System.Diagnostics;
using FkHarness.Catalog;
using FkHarness.Seeder;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Tables;

namespace FkHarness.Benchmarks;

/// <summary>The generators alone, no database: how fast rows can be produced on one core.</summary>
internal static class GenerationOnly
{
    public static (long Rows, TimeSpan Elapsed) Run(SeedOptions options)
    {
        var context = new SeedContext(options, ForeignKeyCatalog.LoadEmbedded());
        var clock = Stopwatch.StartNew();
        long rows = 0;
        foreach (var table in SeedTables.Create(context))
        {
            foreach (var batch in table.Batches(2_000))
            {
                rows += batch.Count;
            }
        }

        return (rows, clock.Elapsed);
    }
}
