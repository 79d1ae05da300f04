using FkHarness.Benchmarks.Reporting;

namespace FkHarness.Benchmarks.Commands;

/// <summary>Prints a scenario's section and puts it into docs/benchmarks.md (unless told not to).</summary>
internal static class ReportPublisher
{
    public static async Task<int> PublishAsync(ScenarioReport report, string? documentPath, bool write, CancellationToken cancellationToken)
    {
        Console.Out.WriteLine();
        Console.Out.Write(MarkdownReport.Render(report));
        if (!write)
        {
            return ExitCode(report);
        }

        var document = documentPath is not null ? new BenchmarksDocument(documentPath) : BenchmarksDocument.Find(Environment.CurrentDirectory);
        if (document is null)
        {
            Console.Error.WriteLine("No FkHarness.sln above the working directory, so no docs/benchmarks.md to update; pass --doc PATH.");
            return ExitCode(report);
        }

        await document.WriteSectionAsync(report, cancellationToken);
        Console.Error.WriteLine($"Updated the \"{report.Title}\" section of {document.Path}.");
        return ExitCode(report);
    }

    // A missed target is a finding, not a crash: exit 0; 1 only when a scenario could not run.
    private static int ExitCode(ScenarioReport report) => 0;
}
