using System.Diagnostics;
using FkHarness.Migrator.Database;
using FkHarness.Migrator.LockHolds;
using FkHarness.Migrator.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FkHarness.Migrator.Steps;

/// <summary>
/// The steps of one script run, as they happen: those its procedures announce
/// (<see cref="StepAnnouncement"/>), paired start with end, and its own index builds and triggers.
/// Fed on DbUp's thread (statements, and the notices Npgsql reads while a statement runs); once
/// the script has run, each step becomes a child span of the script's span, and each table lock
/// an announced step held an exact lock hold, bounded by the step's own start and end.
/// </summary>
internal sealed class ScriptSteps(string script, string contents, RunClock clock)
{
    private readonly IReadOnlyList<SqlStatement> _statements = PsqlStatementSplitter.SplitWithLines(contents);
    private readonly List<ScriptStep> _steps = [];
    private int _statement;
    private long _statementStart;
    private StepAnnouncement? _open;

    public IReadOnlyList<ScriptStep> Steps => _steps;

    /// <summary>A notice on the script's session: an announcement is kept, anything else ignored.</summary>
    public void Observe(PostgresNotice notice)
    {
        if (StepAnnouncement.TryParse(notice, RunClock.Now()) is not { } announcement)
        {
            return;
        }

        if (!announcement.IsEnd)
        {
            _open = announcement;
            return;
        }

        var start = _open is { } open && open.Step == announcement.Step && open.Table == announcement.Table && open.Batch == announcement.Batch
            ? open.Received
            : _statementStart;
        _open = null;
        Add(announcement, start, announcement.Received, succeeded: true);
    }

    public void StatementStarting(int index)
    {
        _statement = index;
        _statementStart = RunClock.Now();
    }

    public void StatementFinished(int index, bool succeeded)
    {
        var end = RunClock.Now();
        if (_open is { } open)
        {
            // Begun, never ended: the statement failed inside it (or the script does not announce ends).
            Add(open, open.Received, end, succeeded: false);
            _open = null;
        }

        var text = Text(index);
        if (StatementHead.ConcurrentIndexTable(text) is { } table)
        {
            _steps.Add(new ScriptStep("index_build", table, "", StatementHead.CreatedName(text), null, Line(index), StatementHead.Label(text), _statementStart, end, null, null, [], succeeded));
        }
        else if (StatementHead.TriggerTable(text) is { } triggerTable)
        {
            _steps.Add(new ScriptStep("trigger", triggerTable, "", StatementHead.CreatedName(text), null, Line(index), StatementHead.Label(text), _statementStart, end, null, null, [], succeeded));
        }
    }

    /// <summary>
    /// Once the script has run: a child span of <paramref name="scriptSpan"/> per step (when someone
    /// listens), and the lock holds of the announced steps, their locks named as the report names
    /// tables (those that can make the application wait, see <see cref="TableLockQuery"/>).
    /// </summary>
    public async Task<IReadOnlyList<LockHold>> FinishAsync(MigratorDatabase database, Activity? scriptSpan, ILogger logger)
    {
        var tables = await NameTablesAsync(database, logger);
        List<LockHold> holds = [];
        foreach (var step in _steps)
        {
            var locks = step.Locks.Where(l => TableLockQuery.CanBlockTheApplication(l.Mode) && tables.ContainsKey(l.Relation))
                .Select(l => (Table: tables[l.Relation], l.Mode)).Distinct().ToList();
            holds.AddRange(locks.Select(l => new LockHold(script, step.Line, $"{step.Statement}: {step.Title}", l.Table, l.Mode, clock.At(step.Start), Stopwatch.GetElapsedTime(step.Start, step.End), Sampled: false)));
            if (scriptSpan is not null)
            {
                StepSpans.Emit(scriptSpan, step, clock, locks);
            }
        }

        return holds;
    }

    private async Task<Dictionary<uint, string>> NameTablesAsync(MigratorDatabase database, ILogger logger)
    {
        var relations = _steps.SelectMany(s => s.Locks).Select(l => l.Relation).Distinct().ToArray();
        if (relations.Length == 0)
        {
            return [];
        }

        try
        {
            await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
            await using var command = TableLockQuery.NamesOf(connection, relations);
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            var names = new Dictionary<uint, string>();
            while (await reader.ReadAsync(CancellationToken.None))
            {
                names[reader.GetFieldValue<uint>(0)] = reader.GetString(1);
            }

            return names;
        }
        catch (NpgsqlException e)
        {
            logger.LogDebug("Could not name the tables the script's steps locked: {Message}", e.Message);
            return [];
        }
    }

    private void Add(StepAnnouncement announcement, long start, long end, bool succeeded) =>
        _steps.Add(new ScriptStep(announcement.Step, announcement.Table, announcement.Column, null, announcement.Batch, Line(_statement), StatementHead.Label(Text(_statement)),
            start, end, announcement.Rows, announcement.Attempts, announcement.Locks, succeeded));

    private string Text(int index) => index < _statements.Count ? _statements[index].Text : "";

    private int Line(int index) => index < _statements.Count ? _statements[index].Line : 0;
}
