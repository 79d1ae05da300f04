using FkHarness.Rehearsal;
using FkHarness.Rehearsal.Hosting;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Progress;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace FkHarness.Tests.Rehearsal;

/// <summary>
/// On a terminal the stage spinner owns the screen: a warning logged meanwhile goes through the
/// spinner's console (printed above it), never straight to stderr, where it would land inside
/// the display and be overwritten by its next refresh.
/// </summary>
[Collection(ConsoleOutputTests.Name)]
public sealed class LiveConsoleTests
{
    [Fact]
    public async Task AWarningDuringTheLiveDisplay_IsPrintedThroughIt_AndNotOnStderr()
    {
        var artifacts = Directory.CreateTempSubdirectory("fkh-live-console-").FullName;
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            var screen = new StringWriter();
            var terminal = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.Yes,
                Interactive = InteractionSupport.Yes,
                Out = new AnsiConsoleOutput(screen),
            });
            using (var host = RehearsalHost.Build(new RehearsalOptions { ArtifactsDirectory = artifacts }, RehearsalArtifacts.Create(artifacts, DateTimeOffset.UtcNow), interactive: true))
            {
                var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FkHarness.Migrator.UpgradeRunner");
                await new SpectreRehearsalConsole(terminal).RunAsync(() =>
                {
                    logger.LogWarning("025 hit lock_timeout (attempt 1 of 6); retrying in 1 s");
                    return Task.CompletedTask;
                });
            }

            Assert.Contains("025 hit lock_timeout (attempt 1 of 6); retrying in 1 s", screen.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("lock_timeout", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Console.SetError(original);
            Directory.Delete(artifacts, recursive: true);
        }
    }
}

/// <summary>The running stage shows how long it has been running, refreshed while it runs.</summary>
[Collection(ConsoleOutputTests.Name)]
public sealed class RunningStageTests
{
    [Fact]
    public async Task TheRunningStage_ShowsItsElapsedSeconds()
    {
        var screen = new StringWriter();
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes, Out = new AnsiConsoleOutput(screen) });
        var console = new SpectreRehearsalConsole(terminal);

        await console.RunAsync(async () =>
        {
            console.StageStarted("migrate 025");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!System.Text.RegularExpressions.Regex.IsMatch(Plain(screen), @"migrate 025… 1 s"))
            {
                await Task.Delay(50, timeout.Token);
            }
        });

        Assert.Matches(@"migrate 025… 1 s", Plain(screen));
    }

    /// <summary>The screen's text without its ANSI escape sequences.</summary>
    private static string Plain(StringWriter screen)
    {
        lock (screen)
        {
            return System.Text.RegularExpressions.Regex.Replace(screen.ToString(), @"\x1b\[[0-9;?]*[A-Za-z]", "");
        }
    }
}

/// <summary>Tests that redirect the process's Console.Error run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleOutputTests
{
    public const string Name = "console output";
}
