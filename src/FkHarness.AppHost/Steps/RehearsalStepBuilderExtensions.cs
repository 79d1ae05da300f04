using System.Globalization;
using OwnerProcess = FkHarness.Rehearsal.Commands.OwnerProcessWatch;

namespace FkHarness.AppHost.Steps;

/// <summary>One step of the rehearsal as a resource: the rehearsal project's executable run with <c>--step NAME</c> against fkdb.</summary>
internal static class RehearsalStepBuilderExtensions
{
    public static IResourceBuilder<ExecutableResource> AddRehearsalStep(
        this IDistributedApplicationBuilder builder, string step, IResourceBuilder<IResourceWithConnectionString> fkdb, RehearsalGraph graph)
    {
        var (executable, workingDirectory) = RehearsalExecutable.Locate();
        var resource = builder.AddExecutable(step, executable, workingDirectory, [.. graph.ArgumentsFor(step)])
            .WithReference(fkdb)
            // A step outlives a SIGKILLed AppHost only until it notices: it then cancels, tears down and reports.
            .WithEnvironment(OwnerProcess.EnvironmentVariable, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        // Traces go to the dashboard; with none, no OTLP endpoint (a step would retry it for 10 s at exit).
        return graph.ExportsTelemetry ? resource.WithOtlpExporter() : resource;
    }
}
