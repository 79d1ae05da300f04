using System.Globalization;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Reporting;
using Spectre.Console;

namespace FkHarness.Rehearsal.Progress;

/// <summary>On a terminal: a spinner naming the running stage, a line per finished stage, then summary tables.</summary>
internal sealed class SpectreRehearsalConsole(IAnsiConsole console) : IRehearsalConsole
{
    private StatusContext? status;

    public async Task RunAsync(Func<Task> rehearsal) =>
        await console.Status().Spinner(Spinner.Known.Dots).StartAsync("Starting", async ctx =>
        {
            status = ctx;
            await rehearsal();
        });

    public void StageStarted(string stage) => status?.Status($"[bold]{Markup.Escape(stage)}[/]…");

    public void StageFinished(StageRecord record)
    {
        var (mark, colour) = record.Status switch
        {
            StageStatus.Succeeded => ("✓", "green"),
            StageStatus.Skipped => ("–", "grey"),
            StageStatus.Cancelled => ("■", "yellow"),
            _ => ("✗", "red"),
        };
        var seconds = record.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        console.MarkupLine($"[{colour}]{mark}[/] {Markup.Escape(record.Name),-16} [grey]{seconds,7} s[/]  {Markup.Escape(record.Outcome.Summary ?? record.Outcome.Error ?? "")}");
    }

    public void Summary(RehearsalContext context)
    {
        console.WriteLine();
        if (context.AuditBefore is null)
        {
            console.WriteLine("Relationships: not audited (the rehearsal stopped before 024 ran)");
        }
        else
        {
            console.Write(Relationships(context));
        }

        var stages = new Table().Border(TableBorder.Rounded).Title("Stages").AddColumns("Stage", "Result", "Seconds");
        foreach (var stage in context.Stages)
        {
            stages.AddRow(Markup.Escape(stage.Name), stage.Status.ToString().ToLowerInvariant(), stage.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture));
        }

        console.Write(stages);
        console.WriteLine(SummaryLines.Verification(context));
        if (SummaryLines.Rollback(context) is { } rollback)
        {
            console.WriteLine(rollback);
        }

        foreach (var line in SummaryLines.Files(context).Concat(SummaryLines.Kept(context)))
        {
            console.WriteLine(line);
        }

        var verdict = RehearsalVerdict.From(context.Stages);
        console.MarkupLine($"[{(verdict.Succeeded ? "green" : "red")}]{Markup.Escape(SummaryLines.Result(context))}[/]");
    }

    private static Table Relationships(RehearsalContext context)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Relationships")
            .AddColumns("#", "Column", "References", "Orphans", "Action", "After");
        foreach (var row in RelationshipRow.For(context))
        {
            table.AddRow(
                row.Finding.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape($"{row.Finding.SourceTable}.{row.Finding.SourceColumn}"),
                Markup.Escape(row.Finding.TargetTable is null ? "(external id)" : $"{row.Finding.TargetTable}.{row.Finding.TargetColumn}"),
                HtmlReport.Count(row.Before?.OrphanCount), Markup.Escape(row.Action), SummaryLines.After(row));
        }

        return table;
    }
}
