using System.CommandLine;
using Spectre.Console;

namespace FkHarness.Migrator.Cli;

internal static class StatusCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("status", $"Show each migration applied (when), pending, or interrupted half-way, and any applied script changed since (drift: exit code {ExitCodes.Drift}).");
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRun.RunAsync(parseResult, common, async (connectionString, options, loggers, ct) =>
        {
            var status = await new MigrationStatusReader(options, loggers).ReadAsync(connectionString, ct);
            if (!status.Succeeded)
            {
                return CommandRun.From(false, status.Error);
            }

            Write(status);
            return (status.HasDrift ? ExitCodes.Drift : ExitCodes.Ok, null);
        }, cancellationToken));
        return command;
    }

    private static void Write(MigrationStatus status)
    {
        var table = new Table().AddColumns("migration", "state", "applied at", "note");
        foreach (var m in status.Migrations)
        {
            var state = m.InterruptedDuring is not null ? $"interrupted ({m.InterruptedDuring})" : m.Applied ? "applied" : "pending";
            var note = m.Drifted ? "DRIFT: up script changed since it was applied"
                : m.FileMissing ? "applied, but not in the migrations folder"
                : m.InterruptedDuring is not null
                    ? $"its {m.InterruptedDuring} script started {m.InterruptedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture)} and did not finish: up finishes it, down undoes it"
                : "";
            table.AddRow(new Text(m.Name), new Text(state), new Text(m.AppliedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? ""), new Text(note));
        }

        AnsiConsole.Write(table);
        if (status.HasDrift)
        {
            AnsiConsole.WriteLine($"Drift: {string.Join(", ", status.Migrations.Where(m => m.Drifted).Select(m => m.Name))} changed after being applied; up refuses to run until the applied text is restored.");
        }
    }
}
