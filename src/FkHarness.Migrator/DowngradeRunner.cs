using System.Diagnostics;
using System.Globalization;
using DbUp.Engine;
using FkHarness.Migrator.Database;
using FkHarness.Migrator.Errors;
using FkHarness.Migrator.Execution;
using FkHarness.Migrator.Scripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FkHarness.Migrator;

/// <summary>
/// <c>down</c>, which DbUp does not have: runs the down scripts of applied migrations newest first
/// and removes each journal row once its down script succeeded; also those whose up (or down) was
/// interrupted half-way (<see cref="ProgressTable"/>): the down scripts are idempotent and safe on a
/// partly applied migration, so whatever part is present is undone, and a crash between the script
/// and the rows' removal is healed by running <c>down</c> again.
/// </summary>
public sealed class DowngradeRunner(MigratorOptions? options = null, ILoggerFactory? loggerFactory = null)
{
    private readonly MigratorOptions _options = options ?? new MigratorOptions();
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DowngradeRunner>();

    /// <param name="connectionString">The database to roll back.</param>
    /// <param name="to">Roll back migrations numbered above this ("025"); null = all of them.</param>
    /// <param name="cancellationToken">Cancels the run; a script in progress is stopped by ending its session.</param>
    public async Task<MigrationRunResult> DownAsync(string connectionString, string? to = null, CancellationToken cancellationToken = default)
    {
        var rolledBack = new List<string>();
        var waits = new List<LockWait>();
        var holds = new List<LockHold>();
        MigrationScript? current = null;
        try
        {
            var set = MigrationSet.Load(_options.MigrationsDirectory);
            var floor = MigrationTarget.ForDown(set, to);
            await using var session = await LockedSession.OpenAsync(connectionString, _options, _logger, cancellationToken);
            var toUndo = Plan(set, session, floor);
            if (toUndo.Count == 0)
            {
                _logger.LogInformation("Nothing to roll back on {Database}: {What}", session.Database.Description, to is null ? "no migration is applied" : $"no migration above {to} is applied");
            }

            foreach (var drifted in DriftCheck.Drifted(set, session.Journal))
            {
                _logger.LogWarning("{Script} changed after it was applied; rolling back with the current {Down}", drifted.Up.FileName, drifted.Down.FileName);
            }

            var runner = new DbUpScriptRunner(session.Database, _options, _logger);
            var retry = new LockTimeoutRetry(_options, _logger);
            foreach (var migration in toUndo)
            {
                current = migration.Down;
                var watch = Stopwatch.StartNew();
                var interrupted = session.Progress.FirstOrDefault(p => p.ScriptName == migration.Name);
                if (interrupted is null)
                {
                    _logger.LogInformation("Rolling back {Script}", migration.Down.FileName);
                }
                else
                {
                    _logger.LogInformation("Rolling back {Script}: its {Direction} script was interrupted half-way (started {StartedAt:u}); undoing whatever part is present", migration.Down.FileName, interrupted.Direction, interrupted.StartedAt);
                }

                // Marked first: a down killed half-way is then seen as such by up (which reruns the up
                // script), by status, and by the next down.
                await using (var connection = await session.Database.OpenConnectionAsync(cancellationToken))
                {
                    await ProgressTable.StartAsync(connection, migration.Name, ProgressTable.Down, cancellationToken);
                }

                var script = new SqlScript(migration.Down.FileName, migration.Down.Contents);
                await retry.RunAsync(migration.Down, ct => runner.RunAsync(script, journaled: false, holds, migration.Down.FileName, ct), waits, cancellationToken);
                await using (var connection = await session.Database.OpenConnectionAsync(cancellationToken))
                {
                    await ProgressTable.FinishAsync(connection, migration.Name, removeJournalRow: true, cancellationToken);
                }

                rolledBack.Add(migration.Name);
                _logger.LogInformation("Rolled back {Script} in {Seconds:0.00} s", migration.Down.FileName, watch.Elapsed.TotalSeconds);
            }

            return new MigrationRunResult { Succeeded = true, RolledBack = rolledBack, LockWaits = waits, LockHolds = holds };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var stage = current is null ? "down" : "rolling back";
            var error = ErrorDescriber.Describe(e, stage, connectionString, current);
            return new MigrationRunResult { Succeeded = false, RolledBack = rolledBack, LockWaits = waits, LockHolds = holds, Error = error };
        }
    }

    /// <summary>
    /// Migrations above the floor that are applied or were interrupted half-way (up or down), newest
    /// first; one missing from the folder cannot be undone.
    /// </summary>
    private static List<Migration> Plan(MigrationSet set, LockedSession session, int floor)
    {
        var unknown = session.Journal.Select(j => j.ScriptName)
            .Concat(session.Progress.Select(p => p.ScriptName))
            .Distinct()
            .Where(name => set.Migrations.All(m => m.Name != name) && NumberOf(name) > floor)
            .ToList();
        if (unknown.Count > 0)
        {
            throw new MigratorFailureException(new MigratorError(
                MigratorErrorKind.Failed,
                $"Cannot roll back {string.Join(", ", unknown)}: applied on this database, but {set.Directory} has no down script for it. " +
                "Run down with the migrations folder that applied it (--migrations DIR)."));
        }

        return [.. set.Migrations.Where(m => m.Number > floor && (session.IsJournaled(m.Name) || session.IsInterrupted(m.Name))).OrderByDescending(m => m.Number)];
    }

    private static int NumberOf(string scriptName)
    {
        var digits = new string([.. scriptName.TakeWhile(char.IsAsciiDigit)]);
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
    }
}
