using System.Text.RegularExpressions;
using FkHarness.Rehearsal.Traffic;
using Microsoft.Extensions.DependencyInjection;

namespace FkHarness.AppHost.Running;

/// <summary>
/// With --traffic, the writers' resource runs beside the migrate steps: its own lines reach the
/// console as they come (the writers' rate and readiness, their total at the end, why they could
/// not start), and its warnings and errors; not the rest of its log.
/// </summary>
internal static partial class TrafficLines
{
    public static Task RelayAsync(DistributedApplication app, ResourceLogRelay relay, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Any(r => r.Name == TrafficStep.Name)
            ? relay.RelayAlongsideAsync(TrafficStep.Name, Meaningful().IsMatch, cancellationToken)
            : Task.CompletedTask;

    [GeneratedRegex(@"^(fkharness: |\d\d:\d\d:\d\d (warn|fail|crit): )")]
    private static partial Regex Meaningful();
}
