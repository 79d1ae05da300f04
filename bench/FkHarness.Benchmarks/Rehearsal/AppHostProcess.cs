using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>
/// Runs the AppHost as a user does, as a process of its own (its own throwaway cluster), and reads
/// the stage timings back from the FK_AUDIT_REPORT.json it writes.
/// </summary>
internal sealed class AppHostProcess(string repositoryRoot)
{
    public string ProjectPath => Path.Combine(repositoryRoot, "src", "FkHarness.AppHost");

    /// <summary>The built AppHost beside this benchmark (the benchmark references it, Release when the benchmark is).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "fkharness.dll");

    public static async Task<RehearsalRun> RehearseAsync(double scale, string artifacts, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var result = await Cli.Wrap("dotnet")
            .WithArguments(["exec", Dll, "--scale", scale.ToString(CultureInfo.InvariantCulture), "--artifacts", artifacts])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        var wall = clock.Elapsed;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"The rehearsal at scale {scale} failed (exit code {result.ExitCode}): {result.StandardOutput[^Math.Min(2000, result.StandardOutput.Length)..]}");
        }

        await using var json = File.OpenRead(Path.Combine(artifacts, "FK_AUDIT_REPORT.json"));
        using var report = await JsonDocument.ParseAsync(json, cancellationToken: cancellationToken);
        var stages = report.RootElement.GetProperty("stages").EnumerateArray()
            .Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("seconds").GetDouble()))
            .ToList();
        return new RehearsalRun(scale, stages, wall);
    }

    /// <summary>Wall time of <c>--help</c> started three ways: what a user pays before the first stage.</summary>
    public async Task<IReadOnlyList<(string Way, TimeSpan Wall)>> LaunchCostsAsync(CancellationToken cancellationToken)
    {
        var ways = new (string Way, string[] Arguments)[]
        {
            ("dotnet run --project src/FkHarness.AppHost -c Release (the README's way; checks the build first)", ["run", "--project", ProjectPath, "-c", "Release", "--", "--help"]),
            ("dotnet run --no-build --project src/FkHarness.AppHost -c Release", ["run", "--no-build", "--project", ProjectPath, "-c", "Release", "--", "--help"]),
            ("dotnet src/FkHarness.AppHost/bin/Release/net10.0/fkharness.dll (built once)", ["exec", Dll, "--help"]),
        };
        var costs = new List<(string, TimeSpan)>();
        foreach (var (way, arguments) in ways)
        {
            var times = new List<TimeSpan>();
            for (var i = 0; i < 4; i++)
            {
                var clock = Stopwatch.StartNew();
                await Cli.Wrap("dotnet").WithArguments(arguments).WithWorkingDirectory(repositoryRoot)
                    .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);
                if (i > 0)
                {
                    times.Add(clock.Elapsed);
                }
            }

            costs.Add((way, Infrastructure.Stats.Median(times)));
        }

        return costs;
    }
}
