using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace FkHarness.Migrator.Cli;

/// <summary>Logs go to stderr, so stdout holds only the tables a user or a script reads.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
        .AddConsole(options =>
        {
            options.LogToStandardErrorThreshold = LogLevel.Trace;
            options.FormatterName = MigratorConsoleFormatter.FormatterName;
        })
        .AddConsoleFormatter<MigratorConsoleFormatter, ConsoleFormatterOptions>());
}
