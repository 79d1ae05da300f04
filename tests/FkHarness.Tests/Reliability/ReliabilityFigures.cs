using System.Text;
using Xunit.Abstractions;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// The figures a reliability test measured (kill points, stalls, race outcomes), written to the
/// test output and to <c>reliability-figures/&lt;name&gt;.md</c> beside the test assembly, from
/// which docs/reliability.md takes its numbers.
/// </summary>
internal sealed class ReliabilityFigures(ITestOutputHelper output, string name)
{
    private readonly StringBuilder _text = new();

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "reliability-figures");

    public void Line(string line)
    {
        _text.AppendLine(line);
        output.WriteLine(line);
    }

    public void Save()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var mode = Soak.Enabled ? "soak" : "default";
        File.WriteAllText(
            Path.Combine(Directory, $"{name}.{mode}.md"),
            $"<!-- {name}, {mode} run, {DateTimeOffset.UtcNow:u} -->\n{_text}");
    }
}
