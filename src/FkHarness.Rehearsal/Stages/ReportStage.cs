using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Reporting;

namespace FkHarness.Rehearsal.Stages;

/// <summary>Writes FK_AUDIT_REPORT.json and report.html from whatever the rehearsal got to; runs even after a failure.</summary>
internal sealed class ReportStage : IRehearsalStage
{
    public string Name => "report";

    public async Task<StageOutcome> RunAsync(RehearsalContext context, CancellationToken cancellationToken)
    {
        await AuditReportJson.WriteAsync(context, cancellationToken);
        await HtmlReport.WriteAsync(context, cancellationToken);
        return StageOutcome.Succeeded($"{Path.GetFileName(context.Artifacts.AuditReport)} and {Path.GetFileName(context.Artifacts.HtmlReport)} written");
    }
}
