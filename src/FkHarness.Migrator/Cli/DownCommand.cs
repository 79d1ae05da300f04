using System.CommandLine;

namespace FkHarness.Migrator.Cli;

internal static class DownCommand
{
    public static Command Create(CommonOptions common)
    {
        var to = new Option<string?>("--to") { Description = "Roll back the applied migrations numbered above this one (e.g. 025). Default: 024, i.e. all of them." };
        var command = new Command("down", "Run the down scripts of applied migrations and of any interrupted half-way, newest first, removing their journal rows.") { to };
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRun.RunAsync(parseResult, common, async (connectionString, options, loggers, ct) =>
        {
            var result = await new DowngradeRunner(options, loggers).DownAsync(connectionString, parseResult.GetValue(to), ct);
            RunSummary.Write("Rolled back", result.RolledBack, "Nothing to roll back: no migration above the target is applied.", result);
            return CommandRun.From(result.Succeeded, result.Error);
        }, cancellationToken));
        return command;
    }
}
