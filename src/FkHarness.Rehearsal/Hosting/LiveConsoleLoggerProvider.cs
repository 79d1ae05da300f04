using System.Globalization;
using FkHarness.Rehearsal.Progress;
using Microsoft.Extensions.Logging;

namespace FkHarness.Rehearsal.Hosting;

/// <summary>
/// On a terminal: warnings and errors, one line each, through <see cref="LiveConsole"/>, so they
/// appear above the live display instead of inside it. (Everything else goes to rehearsal.log.)
/// </summary>
internal sealed class LiveConsoleLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LiveConsoleLogger();

    public void Dispose()
    {
    }

    private sealed class LiveConsoleLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var time = DateTimeOffset.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            var (label, colour) = logLevel == LogLevel.Warning ? ("warn", "yellow") : ("fail", "red");
            LiveConsole.WriteLine($"{time} {label}: {formatter(state, exception)}", colour);
        }
    }
}
