using FkHarness.Migrator.Scripts;
using Microsoft.Extensions.Logging;

namespace FkHarness.Migrator.Database;

/// <summary>
/// Marks an up script in progress before it runs (<see cref="ProgressTable"/>), so that after a kill
/// or a failure half-way <c>down</c> can undo it and <c>status</c> shows it. One exception keeps
/// today's promise that a first <c>up</c> which fails leaves the database exactly as it found it: when
/// the failed script changed no schema object (<see cref="CatalogFootprint"/>; a refusing
/// precondition, a lock held from the start), the mark is taken back, with anything it created.
/// </summary>
internal sealed class UpProgress(MigratorDatabase database, ILogger logger)
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);

    public sealed record Mark(ProgressStart Start, string FootprintBefore);

    public async Task<Mark> StartAsync(Migration migration, bool journaled, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var footprint = await CatalogFootprint.TakeAsync(connection, cancellationToken);
        if (journaled)
        {
            // Journaled but interrupted half-way through its down: no longer applied, so run up again.
            await JournalTable.DeleteAsync(connection, migration.Name, cancellationToken);
        }

        var start = await ProgressTable.StartAsync(connection, migration.Name, ProgressTable.Up, cancellationToken);
        return new Mark(start, footprint);
    }

    public async Task FinishAsync(Mark mark, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await ProgressTable.FinishAsync(connection, mark.Start.ScriptName, removeJournalRow: false, cancellationToken);
    }

    /// <summary>After the script failed or was cancelled; never throws (the script's own error is the one to report).</summary>
    public async Task FailedAsync(Mark mark)
    {
        try
        {
            using var timeout = new CancellationTokenSource(CleanupTimeout);
            await using var connection = await database.OpenConnectionAsync(timeout.Token);
            var unchanged = await CatalogFootprint.TakeAsync(connection, timeout.Token) == mark.FootprintBefore;
            if (unchanged && !mark.Start.HadRow)
            {
                await ProgressTable.UndoStartAsync(connection, mark.Start, timeout.Token);
                logger.LogInformation("{Script} stopped before changing any schema object; nothing to undo", mark.Start.ScriptName);
                return;
            }

            logger.LogWarning("{Script} stopped half-way; it is recorded as interrupted: `up` finishes it, `down` undoes what it did", mark.Start.ScriptName);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Could not check what the interrupted {Script} left ({Error}); it stays recorded as interrupted", mark.Start.ScriptName, e.Message);
        }
    }
}
