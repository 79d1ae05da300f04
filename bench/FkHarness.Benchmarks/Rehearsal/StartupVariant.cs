using CliWrap;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>
/// One way to run a rehearsal at the default scale, as a user types it:
/// <c>dotnet run --project src/FkHarness.AppHost -c Release -- …</c> from a repository root.
/// Through a terminal (<c>script</c>), the AppHost starts the dashboard as it does for a user.
/// </summary>
internal sealed record StartupVariant(string Name, string RepositoryRoot, IReadOnlyList<string> AppHostArguments, bool Terminal = false)
{
    public bool IsBaseline { get; init; }

    public Command Command(string artifacts)
    {
        string[] run = ["run", "--project", Path.Combine("src", "FkHarness.AppHost"), "-c", "Release", "--", .. AppHostArguments, "--artifacts", artifacts];
        var command = Terminal
            ? Cli.Wrap("script").WithArguments(["-qefc", string.Join(' ', run.Prepend("dotnet").Select(Quote)), "/dev/null"])
            : Cli.Wrap("dotnet").WithArguments(run);
        return command
            .WithWorkingDirectory(RepositoryRoot)
            // CI=true would make the AppHost headless; FKH_DEBUG=1 prints Aspire's lines the phases are cut at.
            .WithEnvironmentVariables(env => env.Set("CI", null).Set("FKH_DEBUG", "1"));
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
