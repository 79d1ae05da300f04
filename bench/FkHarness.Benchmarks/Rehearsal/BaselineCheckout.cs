using CliWrap;
using CliWrap.Buffered;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>
/// The in-process pipeline the Aspire AppHost replaced: a detached git worktree of the last commit
/// before the change, in a temp folder, built once in Release (under nice, not timed), removed after.
/// </summary>
internal sealed class BaselineCheckout : IAsyncDisposable
{
    /// <summary>The last commit whose AppHost ran the pipeline in-process (the next one made it an Aspire AppHost).</summary>
    public const string Commit = "75eab46";

    private readonly string repositoryRoot;

    private BaselineCheckout(string repositoryRoot, string root)
    {
        this.repositoryRoot = repositoryRoot;
        Root = root;
    }

    public string Root { get; }

    public static async Task<BaselineCheckout> CreateAsync(string repositoryRoot, TextWriter progress, CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), $"fkharness-bench-baseline-{Environment.ProcessId}");
        progress.WriteLine($"Baseline: git worktree of {Commit} in {root}, built in Release (not timed)…");
        await RunAsync("git", ["worktree", "add", "--detach", root, Commit], repositoryRoot, cancellationToken);
        var checkout = new BaselineCheckout(repositoryRoot, root);
        try
        {
            await RunAsync("nice", ["-n", "19", "dotnet", "build", "-c", "Release", "-nologo", "-v", "q", Path.Combine("src", "FkHarness.AppHost")], root, cancellationToken);
        }
        catch
        {
            await checkout.DisposeAsync();
            throw;
        }

        return checkout;
    }

    public async ValueTask DisposeAsync()
    {
        await Cli.Wrap("git").WithArguments(["worktree", "remove", "--force", Root]).WithWorkingDirectory(repositoryRoot)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        await Cli.Wrap("git").WithArguments(["worktree", "prune"]).WithWorkingDirectory(repositoryRoot)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
    }

    private static async Task RunAsync(string program, string[] arguments, string directory, CancellationToken cancellationToken)
    {
        var result = await Cli.Wrap(program).WithArguments(arguments).WithWorkingDirectory(directory)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardOutput}{result.StandardError}");
        }
    }
}
