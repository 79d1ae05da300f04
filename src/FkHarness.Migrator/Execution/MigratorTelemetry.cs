using System.Diagnostics;

namespace FkHarness.Migrator.Execution;

/// <summary>The migrator's spans (one per script run, and under it one per step, see Steps.StepSpans); nobody listens unless a host added the FkHarness.* sources (ServiceDefaults).</summary>
internal static class MigratorTelemetry
{
    public static readonly ActivitySource Source = new("FkHarness.Migrator");
}
