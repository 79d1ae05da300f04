using System.Collections.Concurrent;
using Spectre.Console;

namespace FkHarness.Seeder.Progress;

/// <summary>Live progress bars, one per table, for an interactive terminal.</summary>
public sealed class SpectreSeedProgress(ProgressContext context) : ISeedProgress
{
    private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new();
    private ProgressTask? _step;

    public void TableStarted(string table, long expectedRows)
    {
        CompleteStep();
        _tasks[table] = context.AddTask(table, maxValue: Math.Max(1, expectedRows));
    }

    public void RowsWritten(string table, long rowsSoFar)
    {
        if (_tasks.TryGetValue(table, out var task))
        {
            // Per-owner tables only have an estimate: let the bar grow rather than overflow.
            task.MaxValue = Math.Max(task.MaxValue, rowsSoFar);
            task.Value = rowsSoFar;
        }
    }

    public void TableFinished(TableLoad load)
    {
        if (_tasks.TryGetValue(load.Table, out var task))
        {
            task.Description = $"{load.Table} [grey]{load.RowsPerSecond:N0} rows/s[/]";
            task.MaxValue = Math.Max(1, load.Rows);
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }

    public void StepStarted(string description)
    {
        CompleteStep();
        _step = context.AddTask(Markup.Escape(description), maxValue: 1);
        _step.IsIndeterminate = true;
    }

    public void Completed(SeedResult result) => CompleteStep();

    private void CompleteStep()
    {
        if (_step is not null)
        {
            _step.IsIndeterminate = false;
            _step.Value = 1;
            _step.StopTask();
        }
    }
}
