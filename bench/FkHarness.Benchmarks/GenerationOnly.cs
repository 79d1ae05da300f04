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
            var tableClock = Stopwatch.StartNew();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long tableRows = 0;
            foreach (var batch in table.Batches(2_000))
            {
                tableRows += batch.Count;
            }

            rows += tableRows;
            // Where generation time goes, for the "what bounds it" question (stderr: not part of the table).
            // CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Console.Error.WriteLine($"  generated {table.Name,-26} {tableRows,10:N0} rows in {tableClock.Elapsed.TotalSeconds,6:N2} s ({cpu.TotalSeconds:N2} s CPU)");
        }

        return (rows, clock.Elapsed);
    }
}
