using FkHarness.Migrator.Database;
using FkHarness.Migrator.Errors;
using FkHarness.Migrator.Scripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FkHarness.Migrator;

/// <summary><c>status</c>: compares the folder with the journal. Reads only; takes no lock and creates nothing.</summary>
public sealed class MigrationStatusReader(MigratorOptions? options = null, ILoggerFactory? loggerFactory = null)
{
    private readonly MigratorOptions _options = options ?? new MigratorOptions();
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MigrationStatusReader>();

    public async Task<MigrationStatus> ReadAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        try
        {
            var set = MigrationSet.Load(_options.MigrationsDirectory);
            await using var database = new MigratorDatabase(connectionString, _logger);
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            var journal = await JournalTable.ReadAsync(connection, cancellationToken);
            var progress = await ProgressTable.ReadAsync(connection, cancellationToken);
            return new MigrationStatus { Succeeded = true, Migrations = Compare(set, journal, progress) };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new MigrationStatus { Succeeded = false, Error = ErrorDescriber.Describe(e, "status", connectionString) };
        }
    }

    private static List<MigrationState> Compare(MigrationSet set, IReadOnlyList<JournalEntry> journal, IReadOnlyList<ProgressEntry> progress)
    {
        var states = set.Migrations.Select(m =>
        {
            var entry = journal.FirstOrDefault(j => j.ScriptName == m.Name);
            var interrupted = progress.FirstOrDefault(p => p.ScriptName == m.Name);
            return new MigrationState(m.Name, m.Version, entry is not null && interrupted is null, entry?.AppliedAt, entry is not null && entry.Checksum != m.Up.Checksum, FileMissing: false)
            {
                InterruptedDuring = interrupted?.Direction,
                InterruptedAt = interrupted?.StartedAt,
            };
        });
        var missing = journal
            .Where(j => set.Migrations.All(m => m.Name != j.ScriptName))
            .Select(j => new MigrationState(j.ScriptName, VersionOf(j.ScriptName), true, j.AppliedAt, Drifted: false, FileMissing: true));
        return [.. states.Concat(missing)];
    }

    private static string VersionOf(string name) => new([.. name.TakeWhile(char.IsAsciiDigit)]);
}
