using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FkHarness.Rehearsal.Hosting;

/// <summary>
/// Every log line of a run, Debug and up, in the artifacts folder (rehearsal.log): what a failed
/// rehearsal leaves behind for whoever reads it later. Exception stack traces go here, never to
/// the console.
/// </summary>
internal sealed class LogFileProvider(string path) : ILoggerProvider
{
    private readonly Lock gate = new();
    private readonly StreamWriter writer = new(path, append: true) { AutoFlush = true };

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    private void Write(string line)
    {
        lock (gate)
        {
            writer.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            writer.Dispose();
        }
    }

    private sealed class FileLogger(LogFileProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var time = DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            var shortCategory = category[(category.LastIndexOf('.') + 1)..];
            owner.Write($"{time} {logLevel,-11} {shortCategory}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
    }
}
