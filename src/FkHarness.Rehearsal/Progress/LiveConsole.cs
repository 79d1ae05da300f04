using Spectre.Console;

namespace FkHarness.Rehearsal.Progress;

/// <summary>
/// The one way a line reaches the terminal while a live display (the stage spinner) owns it: a
/// line written to stderr behind Spectre's back lands in the middle of the display and is
/// overwritten by its next refresh. While a display runs, lines go through its console, which
/// prints them above the display; otherwise to stderr.
/// </summary>
internal static class LiveConsole
{
    private static IAnsiConsole? active;

    public static IDisposable Activate(IAnsiConsole console)
    {
        Volatile.Write(ref active, console);
        return new Deactivation(console);
    }

    /// <summary>Writes one plain line (no markup), coloured when <paramref name="colour"/> is given and a display is active.</summary>
    public static void WriteLine(string line, string? colour = null)
    {
        if (Volatile.Read(ref active) is { } console)
        {
            console.MarkupLine(colour is null ? Markup.Escape(line) : $"[{colour}]{Markup.Escape(line)}[/]");
        }
        else
        {
            Console.Error.WriteLine(line);
        }
    }

    private sealed class Deactivation(IAnsiConsole console) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref active, null, console);
    }
}
