namespace FkHarness.Benchmarks.Reporting;

/// <summary>
/// docs/benchmarks.md: one section per scenario between its markers. A run replaces its own
/// section and leaves every other one (the seeder's included) as it was, so runs and branches merge.
/// </summary>
internal sealed class BenchmarksDocument(string path)
{
    private const string Preamble = """
        # Benchmarks

        Figures from real runs of `bench/FkHarness.Benchmarks`, one section per scenario of issue 6,
        each with the exact command, the scale and the machine. Every scenario starts a throwaway
        PostgreSQL cluster of its own. Benchmarks are not tests: nothing here is asserted by `dotnet test`.

        """;

    public string Path { get; } = path;

    /// <summary>The docs/benchmarks.md of the repository around the working directory, if there is one.</summary>
    public static BenchmarksDocument? Find(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "FkHarness.sln")))
            {
                return new BenchmarksDocument(System.IO.Path.Combine(directory.FullName, "docs", "benchmarks.md"));
            }
        }

        return null;
    }

    public async Task WriteSectionAsync(ScenarioReport report, CancellationToken cancellationToken)
    {
        var section = MarkdownReport.Render(report);
        var text = File.Exists(Path) ? await File.ReadAllTextAsync(Path, cancellationToken) : Preamble;
        var start = text.IndexOf(MarkdownReport.StartMarker(report.Key), StringComparison.Ordinal);
        var endMarker = MarkdownReport.EndMarker(report.Key);
        var end = start < 0 ? -1 : text.IndexOf(endMarker, start, StringComparison.Ordinal);
        if (start >= 0 && end >= 0)
        {
            var after = end + endMarker.Length;
            if (after < text.Length && text[after] == '\n')
            {
                after++;
            }

            text = string.Concat(text.AsSpan(0, start), section, text.AsSpan(after));
        }
        else
        {
            text = text.TrimEnd('\n') + "\n\n" + section;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await File.WriteAllTextAsync(Path, text, cancellationToken);
    }
}
