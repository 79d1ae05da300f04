using FkHarness.Catalog;
using FkHarness.Seeder.Progress;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace FkHarness.Seeder.Cli;

/// <summary>Runs a seeding with the right kind of progress for where the output goes, and prints the outcome.</summary>
internal sealed class SeederConsole(ILoggerFactory loggers)
{
    // One short category: the plain lines are read by people scanning CI logs.
    private readonly ILogger _log = loggers.CreateLogger("seeder");

    /// <summary>Live bars only on a real terminal; plain lines when redirected or on CI.</summary>
    public static bool IsInteractive =>
        !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("CI") is not ("true" or "1" or "True")
        && AnsiConsole.Profile.Capabilities.Interactive;

    public async Task<int> SeedAsync(SeedOptions options, CancellationToken cancellationToken)
    {
        var invalid = options.Validate();
        if (invalid.Count > 0)
        {
            return Report(SeedOutcome.Invalid(string.Join(Environment.NewLine, invalid)));
        }

        SeedOutcome outcome;
        try
        {
            outcome = IsInteractive
                ? await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .StartAsync(context => DatabaseSeeder.SeedAsync(options, new SpectreSeedProgress(context), cancellationToken))
                : await DatabaseSeeder.SeedAsync(options, new LoggingSeedProgress(_log), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // The net under the failures the seeder expects: one line, never a bare stack trace.
            outcome = SeedOutcome.Failed(SecretRedactor.Redact(
                $"Unexpected error ({e.GetType().Name}): {e.Message}"));
        }

        return Report(outcome, options.ManifestPath);
    }

    private int Report(SeedOutcome outcome, string? manifestPath = null)
    {
        if (outcome.Result is { } result)
        {
            var orphans = result.Manifest.Findings.Sum(f => f.OrphanCount);
            var planted = result.Manifest.Findings.Sum(f => f.Planted.Count);
            _log.LogInformation(
                "Seeded {Rows:N0} rows in {Seconds:F1} s ({RowsPerSecond:N0} rows/s); planted {Planted:N0} values in {Findings} relationships, {Orphans:N0} of them orphans",
                result.TotalRows, result.Elapsed.TotalSeconds, result.RowsPerSecond, planted, result.Manifest.Findings.Count, orphans);
            if (manifestPath is not null)
            {
                _log.LogInformation("Manifest written to {ManifestPath}", Path.GetFullPath(manifestPath));
            }
        }
        else
        {
            // The message is already redacted; it is the whole story, so no stack trace.
            var prefix = outcome.Status switch
            {
                SeedStatus.InvalidOptions => "error: ",
                SeedStatus.Refused => "refused: ",
                _ => "failed: ",
            };
            foreach (var line in (outcome.Message ?? "").Split(Environment.NewLine))
            {
                Console.Error.WriteLine(prefix + line);
            }
        }

        return outcome.ExitCode;
    }
}
