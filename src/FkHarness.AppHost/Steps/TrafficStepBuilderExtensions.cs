using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FkHarness.AppHost.Steps;

/// <summary>
/// --traffic as a resource of the graph: the rehearsal's executable with <c>--step traffic</c>,
/// healthy once it wrote state/traffic.ready (its before-window is over), so the first migration
/// can wait for it as for a database.
/// </summary>
internal static class TrafficStepBuilderExtensions
{
    private const string ReadyCheck = "traffic-ready";

    public static IResourceBuilder<ExecutableResource> AddTrafficStep(
        this IDistributedApplicationBuilder builder, IResourceBuilder<IResourceWithConnectionString> fkdb, RehearsalGraph graph)
    {
        var ready = new TrafficSignals(graph.Run).Ready;
        builder.Services.AddHealthChecks().AddCheck(ReadyCheck, () =>
            File.Exists(ready) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the writers are still in their before-window"));
        return builder.AddRehearsalStep(TrafficStep.Name, fkdb, graph).WithHealthCheck(ReadyCheck);
    }
}
