using System.CommandLine;

namespace FkHarness.Migrator.Cli;

/// <summary>The migrator's command line: baseline, audit, up, down, status.</summary>
internal static class MigratorCommandLine
{
    public static RootCommand Build()
    {
        var common = new CommonOptions();
        return new RootCommand("FkHarness migrator: applies and rolls back the FK fix migrations 024–026 with DbUp.")
        {
            BaselineCommand.Create(common),
            AuditCommand.Create(common),
            UpCommand.Create(common),
            DownCommand.Create(common),
            StatusCommand.Create(common),
        };
    }

    /// <summary>Parses and runs; bad usage exits with <see cref="ExitCodes.InvalidInput"/> rather than System.CommandLine's 1.</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        // Spectre assumes 80 columns when output is redirected (CI logs, files): too narrow for the audit table.
        if (Console.IsOutputRedirected)
        {
            Spectre.Console.AnsiConsole.Profile.Width = 200;
        }

        var parseResult = Build().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.InvalidInput;
        }

        // Ctrl+C / SIGTERM cancel the run's token (System.CommandLine 2.0.0 only does this when
        // asked to): the runner then ends the session running a script, so its transaction rolls
        // back and its locks go at once. The timeout bounds how long that clean-up may take.
        return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10) });
    }
}
