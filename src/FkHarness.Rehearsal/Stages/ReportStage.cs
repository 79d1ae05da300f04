using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Reporting;

namespace FkHarness.Rehearsal.Stages;

/// <summary>Writes FK_AUDIT_REPORT.json, report.html and quarantine.csv from whatever the rehearsal got to; runs even after a failure.</summary>
internal sealed class ReportStage : IRehearsalStage
{
    public string Name => "report";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        context.FinishedAt ??= DateTimeOffset.UtcNow;
        await AuditReportJson.WriteAsync(context, cancellationToken);
        await HtmlReport.WriteAsync(context, cancellationToken);
        if (context.QuarantineRows.Count > 0)
        {
            await File.WriteAllTextAsync(context.Artifacts.QuarantineCsv, QuarantineCsv.Render(context.QuarantineRows), cancellationToken);
        }

        return StageOutcome.Succeeded($"{Path.GetFileName(context.Artifacts.AuditReport)} and {Path.GetFileName(context.Artifacts.HtmlReport)} written");
    }
}
