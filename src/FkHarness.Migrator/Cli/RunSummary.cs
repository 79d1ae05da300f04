using Spectre.Console;

namespace FkHarness.Migrator.Cli;

/// <summary>Prints what <c>up</c> or <c>down</c> did, and the lock waits it sat out.</summary>
internal static class RunSummary
{
    public static void Write(string verb, IReadOnlyList<string> scripts, string nothing, MigrationRunResult result)
    {
        if (scripts.Count > 0)
        {
            AnsiConsole.WriteLine($"{verb}: {string.Join(", ", scripts)}");
        }
        else if (result.Succeeded)
        {
            AnsiConsole.WriteLine(nothing);
        }

        if (result.LockWaits.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("script", "attempt", "waited", "why");
        foreach (var wait in result.LockWaits)
        {
            table.AddRow(new Text(wait.Script), new Text($"{wait.Attempt}"), new Text($"{wait.Delay.TotalSeconds:0.#} s"), new Text(wait.Message));
        }

        AnsiConsole.Write(new Rule("lock waits (lock_timeout, retried)").LeftJustified());
        AnsiConsole.Write(table);
    }
}
