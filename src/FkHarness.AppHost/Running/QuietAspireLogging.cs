using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FkHarness.AppHost.Running;

/// <summary>The AppHost's console carries the rehearsal's lines; Aspire's own start-up chatter stays out of it (warnings and errors still show).</summary>
internal static class QuietAspireLogging
{
    public static IServiceCollection AddQuietAspireLogging(this IServiceCollection services) =>
        services.AddLogging(logging => logging
            // "No trusted Aspire development certificate": none is needed, the dashboard runs over http on loopback.
            .AddFilter("Aspire.Hosting.Dcp.DcpHost", LogLevel.Error)
            // Ctrl+C while Aspire's start still waits for the later steps: its start is cancelled, as meant (a real start failure is printed by RehearsalRun).
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None)
            // A database health check fails until the database exists: expected while starting, shown in the dashboard.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter((category, level) => level >= (Environment.GetEnvironmentVariable("FKH_DEBUG") is null ? LogLevel.Warning : LogLevel.Debug) || category?.StartsWith("FkHarness", StringComparison.Ordinal) == true));
}
