using Microsoft.Extensions.Logging;

namespace FkHarness.Migrator.Database;

/// <summary>
/// A run that holds the migration lock, with the journal as read after getting it: a second
/// migrator that waited for the first one sees what the first one applied and finds nothing to do.
/// </summary>
internal sealed class LockedSession : IAsyncDisposable
{
    private readonly MigratorLock _lock;

    private LockedSession(MigratorDatabase database, MigratorLock migratorLock, IReadOnlyList<JournalEntry> journal, IReadOnlyList<ProgressEntry> progress)
    {
        Database = database;
        _lock = migratorLock;
        Journal = journal;
        Progress = progress;
    }

    public MigratorDatabase Database { get; }

    public IReadOnlyList<JournalEntry> Journal { get; }

    /// <summary>Migrations whose up or down script was interrupted (see <see cref="ProgressTable"/>).</summary>
    public IReadOnlyList<ProgressEntry> Progress { get; }

    public static async Task<LockedSession> OpenAsync(string connectionString, MigratorOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var database = new MigratorDatabase(connectionString, logger);
        MigratorLock? migratorLock = null;
        try
        {
            migratorLock = await MigratorLock.AcquireAsync(database, options.MigratorLockTimeout, logger, cancellationToken);
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            var journal = await JournalTable.ReadAsync(connection, cancellationToken);
            var progress = await ProgressTable.ReadAsync(connection, cancellationToken);
            return new LockedSession(database, migratorLock, journal, progress);
        }
        catch
        {
            if (migratorLock is not null)
            {
                await migratorLock.DisposeAsync();
            }

            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Applied and not since interrupted half-way through its down script.</summary>
    public bool IsApplied(string migrationName) => IsJournaled(migrationName) && !IsInterrupted(migrationName);

    public bool IsJournaled(string migrationName) => Journal.Any(j => j.ScriptName == migrationName);

    public bool IsInterrupted(string migrationName) => Progress.Any(p => p.ScriptName == migrationName);

    public async ValueTask DisposeAsync()
    {
        await _lock.DisposeAsync();
        await Database.DisposeAsync();
    }
}
