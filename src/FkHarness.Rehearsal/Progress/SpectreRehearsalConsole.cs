using System.Diagnostics;
using System.Globalization;
using FkHarness.Rehearsal.Pipeline;
using FkHarness.Rehearsal.Reporting;
using Spectre.Console;

namespace FkHarness.Rehearsal.Progress;

/// <summary>On a terminal: a spinner naming the running stage, a line per finished stage, then summary tables.</summary>
internal sealed class SpectreRehearsalConsole(IAnsiConsole console) : IRehearsalConsole
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);
    private StatusContext? status;
    private (string Name, long Started)? running;

    public async Task RunAsync(Func<Task> rehearsal) =>
        await console.Status().Spinner(Spinner.Known.Dots).StartAsync("Starting", async ctx =>
        {
            status = ctx;
            using var _ = LiveConsole.Activate(console);
            using var stop = new CancellationTokenSource();
            var clock = ShowElapsedAsync(stop.Token);
            try
            {
                await rehearsal();
            }
            finally
            {
                await stop.CancelAsync();
                await clock;
            }
        });

    public void StageStarted(string stage)
    {
        running = (stage, Stopwatch.GetTimestamp());
        ShowRunning();
    }

    /// <summary>The running stage with its elapsed time, refreshed while it runs: a long VALIDATE shows that it is still going.</summary>
    private async Task ShowElapsedAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                ShowRunning();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ShowRunning()
    {
        if (running is { } stage)
        {
            var seconds = Stopwatch.GetElapsedTime(stage.Started).TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
            status?.Status($"[bold]{Markup.Escape(stage.Name)}[/]… [grey]{seconds} s[/]");
        }
    }

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

        if (SummaryLines.Traffic(context) is { } traffic)
        {
            console.WriteLine(traffic);
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
