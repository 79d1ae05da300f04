using Microsoft.Extensions.Logging;

namespace FkHarness.Tests.Migrator;

/// <summary>
/// A logger factory for the migrator that completes <see cref="FirstRetry"/> when it logs its
/// first lock_timeout retry: a test can hold a lock until the migrator has given up once, without
/// guessing how long that takes.
/// </summary>
internal sealed class LockRetrySignal : IDisposable
{
    private readonly TaskCompletionSource first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LockRetrySignal() => Factory = LoggerFactory.Create(builder => builder.AddProvider(new Provider(first)));

    public ILoggerFactory Factory { get; }

    public Task FirstRetry => first.Task;

    public void Dispose() => Factory.Dispose();

    private sealed class Provider(TaskCompletionSource first) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Listener(first);

        public void Dispose()
        {
        }
    }

    private sealed class Listener(TaskCompletionSource first) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains("hit lock_timeout", StringComparison.Ordinal))
            {
                first.TrySetResult();
            }
        }
    }
}
