using CliWrap;
using CliWrap.Buffered;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>
/// The rehearsal at the default scale run the ways a user can, interleaved repetition by
/// repetition so that a change in the machine's load falls on all of them: the in-process
/// pipeline of <see cref="BaselineCheckout.Commit"/>, and today's Aspire AppHost with
/// <c>--postgres local</c> and <c>container</c> headless, and <c>local</c> with the dashboard.
/// </summary>
internal sealed class AspireComparison(string repositoryRoot, int repetitions, TextWriter progress)
{
    public const string ContainerImage = "localhost/fkharness-postgres:15";

    public sealed record Result(IReadOnlyList<StartupVariant> Variants, IReadOnlyDictionary<string, IReadOnlyList<StartupPhases>> Runs, string? ContainerSkipped);

    public async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        var containerSkipped = await PrepareContainerImageAsync(cancellationToken);
        await using var baseline = await BaselineCheckout.CreateAsync(repositoryRoot, progress, cancellationToken);
        var variants = new List<StartupVariant>
        {
            new($"in-process ({BaselineCheckout.Commit})", baseline.Root, []) { IsBaseline = true },
            new("Aspire, local, --no-dashboard", repositoryRoot, ["--postgres", "local", "--no-dashboard"]),
            new("Aspire, local, dashboard (a terminal)", repositoryRoot, ["--postgres", "local"], Terminal: true),
        };
        if (containerSkipped is null)
        {
            variants.Add(new("Aspire, container, --no-dashboard", repositoryRoot, ["--postgres", "container", "--postgres-image", ContainerImage, "--no-dashboard"]));
        }

        var runs = variants.ToDictionary(v => v.Name, _ => new List<StartupPhases>());
        var artifacts = Path.Combine(Path.GetTempPath(), $"fkharness-bench-startup-{Environment.ProcessId}");
        try
        {
            // Round 0 warms the build check's caches and the disk; it is not counted.
            for (var repetition = 0; repetition <= repetitions; repetition++)
            {
                foreach (var variant in variants)
                {
                    progress.WriteLine($"{(repetition == 0 ? "Warm-up" : $"Repetition {repetition}/{repetitions}")}: {variant.Name}…");
                    var output = await TimedProcess.RunAsync(variant.Command(Path.Combine(artifacts, $"{runs[variant.Name].Count}-{repetition}-{variants.IndexOf(variant)}")), cancellationToken);
                    if (output.ExitCode != 0)
                    {
                        throw new InvalidOperationException($"{variant.Name} failed (exit code {output.ExitCode}): {output.Tail(3000)}");
                    }

                    var phases = StartupPhases.From(output);
                    progress.WriteLine($"  {phases.Total:0.00} s: {string.Join(" | ", phases.Seconds.Select(s => s is { } v ? v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "–"))}");
                    if (repetition > 0)
                    {
                        runs[variant.Name].Add(phases);
                    }
                }
            }
        }
        finally
        {
            if (Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }
        }

        return new Result(variants, runs.ToDictionary(r => r.Key, r => (IReadOnlyList<StartupPhases>)r.Value), containerSkipped);
    }

    /// <summary>Builds the local image if it is not there (the script is idempotent); why the container is not measured, or null.</summary>
    private async Task<string?> PrepareContainerImageAsync(CancellationToken cancellationToken)
    {
        progress.WriteLine($"Container: bash scripts/build-postgres-image.sh ({ContainerImage}; kept when built)…");
        var result = await Cli.Wrap("bash").WithArguments(["scripts/build-postgres-image.sh"]).WithWorkingDirectory(repositoryRoot)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);
        return result.ExitCode == 0 ? null : $"scripts/build-postgres-image.sh exited {result.ExitCode}: {result.StandardError.Trim()}";
    }
}
