using System.Globalization;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Reporting;

namespace FkHarness.Rehearsal.Progress;

/// <summary>Plain lines for logs and pipes (output redirected, or CI=true): one per stage start and end, then the summary.</summary>
internal sealed class PlainRehearsalConsole(TextWriter output) : IRehearsalConsole
{
    public Task RunAsync(Func<Task> rehearsal) => rehearsal();

    public void StageStarted(string stage) => output.WriteLine($"stage {stage}: started");

    public void StageFinished(StageRecord record)
    {
        var seconds = record.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        var status = record.Status.ToString().ToLowerInvariant();
        output.WriteLine($"stage {record.Name}: {status} in {seconds} s - {record.Outcome.Summary ?? record.Outcome.Error}");
    }

    public void Summary(RehearsalContext context)
    {
        output.WriteLine();
        if (context.AuditBefore is null)
        {
            output.WriteLine("Relationships: not audited (the rehearsal stopped before 024 ran)");
        }
        else
        {
            Relationships(context);
        }

        output.WriteLine();
        output.WriteLine($"{"Stage",-16}  {"Result",-10}  {"Seconds",8}");
        foreach (var stage in context.Stages)
        {
            output.WriteLine($"{stage.Name,-16}  {stage.Status.ToString().ToLowerInvariant(),-10}  {stage.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),8}");
        }

        output.WriteLine();
        output.WriteLine(SummaryLines.Verification(context));
        if (SummaryLines.Rollback(context) is { } rollback)
        {
            output.WriteLine(rollback);
        }

        if (SummaryLines.Traffic(context) is { } traffic)
        {
            output.WriteLine(traffic);
        }

        foreach (var line in SummaryLines.Files(context).Concat(SummaryLines.Kept(context)))
        {
            output.WriteLine(line);
        }

        output.WriteLine(SummaryLines.Result(context));
    }

    private void Relationships(RehearsalContext context)
    {
        var rows = RelationshipRow.For(context);
        var width = rows.Max(r => r.Finding.Relationship.Length);
        output.WriteLine($"{"#",2}  {"Relationship".PadRight(width)}  {"Orphans before",14}  {"Action",-30}  {"After",6}");
        foreach (var row in rows)
        {
            output.WriteLine($"{row.Finding.Id,2}  {row.Finding.Relationship.PadRight(width)}  {HtmlReport.Count(row.Before?.OrphanCount),14}  {row.Action,-30}  {SummaryLines.After(row),6}");
        }
    }
}
