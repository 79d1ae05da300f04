using System.Diagnostics;
using FkHarness.Migrator.Execution;

namespace FkHarness.Migrator.Steps;

/// <summary>
/// A step as a child span of its script's span, with the step's own start and end (so a trace
/// shows each NOT VALID, cleanup batch, VALIDATE, index build and trigger where it ran), the rows
/// it changed, the tries its lock took and the table locks it held.
/// </summary>
internal static class StepSpans
{
    public static void Emit(Activity scriptSpan, ScriptStep step, RunClock clock, IReadOnlyList<(string Table, string Mode)> locks)
    {
        var previous = Activity.Current;
        try
        {
            using var span = MigratorTelemetry.Source.StartActivity(step.Title, ActivityKind.Internal, scriptSpan.Context, startTime: clock.At(step.Start));
            if (span is null)
            {
                return;
            }

            span.SetTag("fkharness.step", step.Step);
            span.SetTag("db.collection.name", step.Table);
            span.SetTag("fkharness.statement", step.Statement);
            span.SetTag("fkharness.script.line", step.Line);
            if (step.Column.Length > 0)
            {
                span.SetTag("fkharness.column", step.Column);
            }

            if (step.Name is not null)
            {
                span.SetTag("fkharness.object", step.Name);
            }

            if (step.Batch is { } batch)
            {
                span.SetTag("fkharness.batch", batch);
            }

            if (step.Rows is { } rows)
            {
                span.SetTag("db.rows_affected", rows);
            }

            if (step.Attempts is { } attempts)
            {
                // Each try before the last waited its lock_timeout for a transaction in the way.
                span.SetTag("fkharness.lock.attempts", attempts);
                span.SetTag("fkharness.lock.waits", attempts - 1);
            }

            if (locks.Count > 0)
            {
                span.SetTag("fkharness.locks", string.Join(", ", locks.Select(l => $"{l.Mode} on {l.Table}")));
            }

            if (!step.Succeeded)
            {
                span.SetStatus(ActivityStatusCode.Error, "the statement failed during this step");
            }

            span.SetEndTime(clock.At(step.End).UtcDateTime);
        }
        finally
        {
            Activity.Current = previous;
        }
    }
}
