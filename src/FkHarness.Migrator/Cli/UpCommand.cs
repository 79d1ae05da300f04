using System.CommandLine;

namespace FkHarness.Migrator.Cli;

internal static class UpCommand
{
    public static Command Create(CommonOptions common)
    {
        var to = new Option<string?>("--to") { Description = "Apply migrations up to and including this one (e.g. 025). Default: all." };
        var command = new Command("up", "Apply the pending migrations, oldest first; refuses when an applied script has changed (drift).") { to };
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRun.RunAsync(parseResult, common, async (connectionString, options, loggers, ct) =>
        {
            var result = await new UpgradeRunner(options, loggers).UpAsync(connectionString, parseResult.GetValue(to), ct);
            RunSummary.Write("Applied", result.Applied, "Nothing to apply: the database is up to date.", result);
            return CommandRun.From(result.Succeeded, result.Error);
        }, cancellationToken));
        return command;
    }
}
