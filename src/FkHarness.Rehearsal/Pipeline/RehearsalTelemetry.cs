using System.Diagnostics;

namespace FkHarness.Rehearsal.Pipeline;

/// <summary>The rehearsal's spans: one trace per rehearsal, a span per stage (the migrator adds one per script, Npgsql one per statement).</summary>
internal static class RehearsalTelemetry
{
    public static readonly ActivitySource Source = new("FkHarness.Rehearsal");

    public static void Record(Activity? activity, StageRecord record)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("fkharness.stage.status", record.Status.ToString());
        activity.SetTag("fkharness.stage.summary", record.Outcome.Summary);
        if (record.Status == StageStatus.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, record.Outcome.Error);
        }
    }
}
