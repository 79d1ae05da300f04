namespace FkHarness.AppHost.Running;

/// <summary>
/// Aspire gives every project OTEL_EXPORTER_OTLP_ENDPOINT (the dashboard's default address) even
/// when the dashboard is disabled. A project then exports to an address nobody listens on, and on
/// exit its exporter retries before the process ends: the rehearsal's resource went to Finished
/// 8–9 s after its last line. Headless, the projects are told nothing, so they export nothing
/// (ServiceDefaults turns telemetry on only when the endpoint is set).
/// </summary>
internal static class TelemetryWithoutDashboard
{
    public static IDistributedApplicationBuilder ExportTelemetryOnlyToTheDashboard(this IDistributedApplicationBuilder builder, bool dashboard)
    {
        if (dashboard)
        {
            return builder;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>((start, _) =>
        {
            // Added last, so it runs after Aspire's own OTLP callback on each resource.
            foreach (var resource in start.Model.Resources.OfType<IResourceWithEnvironment>())
            {
                resource.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    foreach (var name in context.EnvironmentVariables.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
                    {
                        context.EnvironmentVariables.Remove(name);
                    }
                }));
            }

            return Task.CompletedTask;
        });
        return builder;
    }
}
