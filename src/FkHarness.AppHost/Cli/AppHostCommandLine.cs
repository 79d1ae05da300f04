using System.CommandLine;
using FkHarness.Rehearsal;
using FkHarness.Rehearsal.Commands;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Preflight;

namespace FkHarness.AppHost.Cli;

/// <summary>
/// The <c>fkharness</c> command line: the rehearsal's own options (parsed and checked by the
/// rehearsal's parser and preflight, so bad input is refused before anything starts) plus the
/// AppHost's: which PostgreSQL, which image, whether to show the dashboard.
/// </summary>
internal static class AppHostCommandLine
{
    private static readonly string[] PathOptions = ["--from-dump", "--migrations", "--artifacts"];
    private static readonly string[] AppHostOnly = ["--postgres", "--postgres-image", "--no-dashboard", "--connection-string", "--port"];
    private static readonly string[] AppHostFlags = ["--no-dashboard"];

    private static readonly Option<string?> Postgres = new("--postgres")
    {
        Description = "Which PostgreSQL runs fkdb: local (a server from this machine's binaries, run by DCP) or container (Aspire's PostgreSQL container). Default: local where the binaries are found, else container where a container runtime answers. --connection-string means an existing server.",
        HelpName = "local|container",
        Recursive = true,
    };

    private static readonly Option<string?> PostgresImage = new("--postgres-image")
    {
        Description = "With the container: the image to run instead of the official postgres one, as registry/name:tag (a mirror, another version, or a local build such as localhost/fkharness-postgres:15 from scripts/build-postgres-image.sh).",
        HelpName = "IMAGE",
        Recursive = true,
    };

    private static readonly Option<bool> NoDashboard = new("--no-dashboard")
    {
        Description = "Run headless, with plain lines, as under CI (CI=true or redirected output do the same).",
        Recursive = true,
    };

    /// <summary>The parsed options, or the exit code to end with (help printed, or input refused).</summary>
    public static async Task<(RehearsalOptions? Rehearsal, AppHostOptions? AppHost, int ExitCode)> ParseAsync(string[] args, CancellationToken cancellationToken)
    {
        RehearsalOptions? rehearsal = null;
        var root = new RehearsalCommandLine().Create((options, _) =>
        {
            rehearsal = options;
            return Task.FromResult(ExitCodes.Succeeded);
        });
        Postgres.AcceptOnlyFromAmong("local", "container");
        root.Options.Add(Postgres);
        root.Options.Add(PostgresImage);
        root.Options.Add(NoDashboard);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"fkharness: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'fkharness --help' to see the options.");
            return (null, null, ExitCodes.InvalidInput);
        }

        var exitCode = await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken);
        if (rehearsal is null)
        {
            return (null, null, exitCode);
        }

        var problems = await RehearsalPreflight.CheckAsync(rehearsal, cancellationToken);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"fkharness: {problem}");
            }

            return (null, null, ExitCodes.InvalidInput);
        }

        if (rehearsal.Step is not null)
        {
            await Console.Error.WriteLineAsync("fkharness: --step is the rehearsal project's (each of the AppHost's resources runs one); the AppHost runs them all.");
            return (null, null, ExitCodes.InvalidInput);
        }

        var run = RehearsalArtifacts.Create(rehearsal.ArtifactsDirectory is { } given ? Path.GetFullPath(given) : null, DateTimeOffset.UtcNow);
        var appHost = new AppHostOptions
        {
            Run = run,
            Postgres = parse.GetValue(Postgres) switch { "local" => PostgresKind.Local, "container" => PostgresKind.Container, _ => null },
            PostgresImage = parse.GetValue(PostgresImage),
            NoDashboard = parse.GetValue(NoDashboard),
            RehearsalArguments = [.. RehearsalArguments(args), .. rehearsal.ArtifactsDirectory is null ? ["--artifacts", run.Directory] : Array.Empty<string>()],
        };
        return (rehearsal, appHost, ExitCodes.Succeeded);
    }

    /// <summary>
    /// The command line as given, for the rehearsal project (which runs in its own folder): paths
    /// made absolute, the AppHost's own options left out (the database comes as ConnectionStrings__fkdb).
    /// Options this parser does not know are passed on untouched.
    /// </summary>
    private static List<string> RehearsalArguments(string[] args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inlineValue) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            if (AppHostOnly.Contains(name))
            {
                if (inlineValue is null && !AppHostFlags.Contains(name))
                {
                    i++;
                }

                continue;
            }

            if (PathOptions.Contains(name))
            {
                var value = inlineValue ?? (i + 1 < args.Length ? args[++i] : "");
                result.Add(name);
                result.Add(Path.GetFullPath(value));
                continue;
            }

            result.Add(args[i]);
        }

        return result;
    }
}
