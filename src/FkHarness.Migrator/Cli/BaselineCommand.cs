using System.CommandLine;
using Spectre.Console;

namespace FkHarness.Migrator.Cli;

internal static class BaselineCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("baseline", "Create the pre-fix schema (baseline/000_pre_fix_schema.sql) in an empty database; refuses a database that has any of its tables.");
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRun.RunAsync(parseResult, common, async (connectionString, options, loggers, ct) =>
        {
            var result = await new BaselineInstaller(options, loggers).InstallAsync(connectionString, ct);
            if (result.Succeeded)
            {
                AnsiConsole.WriteLine("Baseline installed: the pre-fix schema is in place.");
            }

            return CommandRun.From(result.Succeeded, result.Error);
        }, cancellationToken));
        return command;
    }
}
