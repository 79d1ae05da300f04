using System.Globalization;
using DbUp.Engine.Output;
using FkHarness.Catalog;
using Microsoft.Extensions.Logging;

namespace FkHarness.Migrator.Execution;

/// <summary>
/// DbUp's log, at Debug: the runners log what matters themselves, and DbUp's error lines carry
/// whole stack traces that must not be what a user reads. Redacted, since DbUp prints exception text.
/// </summary>
internal sealed class DbUpLog(ILogger logger) : IUpgradeLog
{
    public void LogTrace(string format, params object[] args) => Write(LogLevel.Trace, format, args);

    public void LogDebug(string format, params object[] args) => Write(LogLevel.Debug, format, args);

    public void LogInformation(string format, params object[] args) => Write(LogLevel.Debug, format, args);

    public void LogWarning(string format, params object[] args) => Write(LogLevel.Warning, format, args);

    public void LogError(string format, params object[] args) => Write(LogLevel.Debug, format, args);

    public void LogError(Exception ex, string format, params object[] args) => Write(LogLevel.Debug, format, args);

    private void Write(LogLevel level, string format, object[] args)
    {
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var text = args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
        logger.Log(level, "DbUp: {Message}", SecretRedactor.Redact(text));
    }
}
