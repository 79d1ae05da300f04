using System.Diagnostics;
using DbUp.Engine;
using FkHarness.Migrator.Database;
using FkHarness.Migrator.Errors;
using FkHarness.Migrator.Execution;
using FkHarness.Migrator.Scripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FkHarness.Migrator;

/// <summary><c>up</c>: applies the pending up scripts, oldest first, each journaled with its checksum once it succeeded.</summary>
public sealed class UpgradeRunner(MigratorOptions? options = null, ILoggerFactory? loggerFactory = null)
{
    private readonly MigratorOptions _options = options ?? new MigratorOptions();
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<UpgradeRunner>();

    /// <param name="connectionString">The database to migrate.</param>
    /// <param name="to">The last migration to apply ("025"); null = all.</param>
    /// <param name="cancellationToken">Cancels the run; a script in progress is stopped by ending its session.</param>
    public async Task<MigrationRunResult> UpAsync(string connectionString, string? to = null, CancellationToken cancellationToken = default)
    {
        var applied = new List<string>();
        var waits = new List<LockWait>();
        var holds = new List<LockHold>();
        MigrationScript? current = null;
        try
        {
            var set = MigrationSet.Load(_options.MigrationsDirectory);
            var last = MigrationTarget.ForUp(set, to);
            await using var session = await LockedSession.OpenAsync(connectionString, _options, _logger, cancellationToken);
            DriftCheck.Refuse(set, session.Journal);

            var pending = set.Migrations.Where(m => m.Number <= last && !session.IsApplied(m.Name)).ToList();
            if (pending.Count == 0)
            {
                _logger.LogInformation("Nothing to apply on {Database}: every migration up to {Target} is applied", session.Database.Description, to ?? "the newest");
            }

            var runner = new DbUpScriptRunner(session.Database, _options, _logger);
            var retry = new LockTimeoutRetry(_options, _logger);
            var progress = new UpProgress(session.Database, _logger);
            foreach (var migration in pending)
            {
                current = migration.Up;
                var watch = Stopwatch.StartNew();
                if (session.IsInterrupted(migration.Name))
                {
                    _logger.LogInformation("Applying {Script}: it was interrupted half-way before; finishing it", migration.Up.FileName);
                }
                else
                {
                    _logger.LogInformation("Applying {Script}", migration.Up.FileName);
                }

                var mark = await progress.StartAsync(migration, session.IsJournaled(migration.Name), cancellationToken);
                var script = new SqlScript(migration.Name, migration.Up.Contents);
                try
                {
                    await retry.RunAsync(migration.Up, ct => runner.RunAsync(script, journaled: true, holds, migration.Up.FileName, ct), waits, cancellationToken);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    await progress.FailedAsync(mark);
                    throw;
                }

                await progress.FinishAsync(mark, cancellationToken);
                applied.Add(migration.Name);
                _logger.LogInformation("Applied {Script} in {Seconds:0.00} s", migration.Up.FileName, watch.Elapsed.TotalSeconds);
            }

            return new MigrationRunResult { Succeeded = true, Applied = applied, LockWaits = waits, LockHolds = holds };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var stage = current is null ? "up" : "applying the migrations";
            var error = ErrorDescriber.Describe(e, stage, connectionString, current);
            return new MigrationRunResult { Succeeded = false, Applied = applied, LockWaits = waits, LockHolds = holds, Error = error };
        }
    }
}
