namespace FkHarness.Benchmarks.Reporting;

/// <summary>One table of figures: a caption, column headers, rows of already formatted cells.</summary>
internal sealed record ReportTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);
