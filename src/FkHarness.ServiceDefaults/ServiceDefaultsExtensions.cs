using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace FkHarness.ServiceDefaults;

/// <summary>
/// Aspire's convention (eShop, aspire-samples): one call gives a project the telemetry the
/// dashboard shows. Traces from every FkHarness.* ActivitySource (a span per rehearsal, stage,
/// migration script and step of a script: 025's index builds, each NOT VALID, cleanup batch and
/// VALIDATE, 026's index builds and triggers) and from Npgsql (a span per statement); logs too. Exported over OTLP only
/// when OTEL_EXPORTER_OTLP_ENDPOINT is set (the AppHost sets it when the dashboard runs), so a
/// project run on its own or under CI exports nothing.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string SourcePrefix = "FkHarness.";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddSource(SourcePrefix + "*")
                .AddNpgsql())
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>A host that is built but never started (a run-once program) still needs its tracer made, and flushed on dispose.</summary>
    public static void StartTelemetry(this IServiceProvider services)
    {
        services.GetService<TracerProvider>();
        services.GetService<LoggerProvider>();
    }
}
