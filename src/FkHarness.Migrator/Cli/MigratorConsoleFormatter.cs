using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace FkHarness.Migrator.Cli;

/// <summary>"12:00:01 warn: message" — one line per entry, and an exception's message but never its stack trace.</summary>
internal sealed class MigratorConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "fkharness";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is not null)
        {
            message += $" ({logEntry.Exception.Message})";
        }

        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        textWriter.WriteLine($"{DateTime.Now:HH:mm:ss} {level}: {message}");
    }
}
