using System.CommandLine;
using FkHarness.Catalog;
using FkHarness.Migrator.Audit;
using FkHarness.Migrator.Errors;
using FkHarness.Migrator.Scripts;
using Spectre.Console;

namespace FkHarness.Migrator.Cli;

internal static class AuditCommand
{
    public static Command Create(CommonOptions common)
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where to write the JSON report.",
            DefaultValueFactory = _ => ForeignKeyCatalog.FileName,
        };
        var command = new Command("audit", "Run the read-only audit (024): orphans per relationship, FK constraints, index coverage; writes the JSON report.") { output };
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandRun.RunAsync(parseResult, common, async (connectionString, options, loggers, ct) =>
        {
            var result = await new AuditRunner(options, loggers).RunAsync(connectionString, ct);
            if (!result.Succeeded)
            {
                return CommandRun.From(false, result.Error);
            }

            var path = parseResult.GetValue(output)!;
            try
            {
                await AuditReportWriter.WriteAsync(result, MigrationSet.Load(options.MigrationsDirectory).LoadCatalog(), path, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (ExitCodes.InvalidInput, new MigratorError(MigratorErrorKind.InvalidInput,
                    $"Could not write the audit report to {Path.GetFullPath(path)}: {e.Message} Pass --output with a file path that can be written (the audit itself changed nothing)."));
            }

            AuditTable.Write(result);
            AnsiConsole.WriteLine($"{result.TotalOrphans} orphans in {result.Relationships.Count} relationships. Report: {Path.GetFullPath(path)}");
            return (ExitCodes.Ok, null);
        }, cancellationToken));
        return command;
    }
}
