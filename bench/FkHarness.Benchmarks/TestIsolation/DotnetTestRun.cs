using System.Diagnostics;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace FkHarness.Benchmarks.TestIsolation;

/// <summary>The whole suite, as the README runs it: <c>dotnet build</c>, then <c>dotnet test --no-build</c>, each timed.</summary>
internal static partial class DotnetTestRun
{
    public sealed record Result(TimeSpan Build, TimeSpan Test, string Summary, bool Passed);

    public static async Task<Result> RunAsync(string repositoryRoot, TextWriter progress, CancellationToken cancellationToken)
    {
        progress.WriteLine("dotnet build (the suite's projects, Debug, as `dotnet test` builds them)…");
        var clock = Stopwatch.StartNew();
        var build = await Dotnet(repositoryRoot, ["build", "FkHarness.sln", "--nologo", "-v", "q"], cancellationToken);
        var built = clock.Elapsed;
        if (build.ExitCode != 0)
        {
            return new Result(built, TimeSpan.Zero, "build failed: " + Tail(build.StandardOutput), false);
        }

        progress.WriteLine("dotnet test --no-build…");
        clock.Restart();
        var test = await Dotnet(repositoryRoot, ["test", "FkHarness.sln", "--no-build", "--nologo"], cancellationToken);
        var log = Path.Combine(Path.GetTempPath(), "fkharness-bench-dotnet-test.log");
        await File.WriteAllTextAsync(log, test.StandardOutput + test.StandardError, cancellationToken);
        progress.WriteLine($"  its output: {log}");
        var summaries = SummaryLine().Matches(test.StandardOutput).Select(m => m.Value.Trim()).ToList();
        var failed = FailedTest().Matches(test.StandardOutput).Select(m => m.Groups[1].Value.Trim()).Distinct().ToList();
        var summary = (summaries.Count > 0 ? string.Join("; ", summaries) : Tail(test.StandardOutput)) +
            (failed.Count > 0 ? "; failed: " + string.Join(", ", failed) : "");
        return new Result(built, clock.Elapsed, summary, test.ExitCode == 0);
    }

    private static Task<BufferedCommandResult> Dotnet(string directory, string[] arguments, CancellationToken cancellationToken) =>
        Cli.Wrap("dotnet").WithArguments(arguments).WithWorkingDirectory(directory)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);

    private static string Tail(string output) => string.Join(" ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3)).Trim();

    [GeneratedRegex(@"^\s+Failed ([\w.]+(\([^)\n]*\))?)", RegexOptions.Multiline)]
    private static partial Regex FailedTest();

    [GeneratedRegex(@"(Passed|Failed)!\s+-\s+Failed:\s+\d+,\s+Passed:\s+\d+,\s+Skipped:\s+\d+,\s+Total:\s+\d+(, Duration: [^-\n]+)?")]
    private static partial Regex SummaryLine();
}
