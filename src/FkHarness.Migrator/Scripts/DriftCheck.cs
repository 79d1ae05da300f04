using FkHarness.Migrator.Database;
using FkHarness.Migrator.Errors;

namespace FkHarness.Migrator.Scripts;

/// <summary>Applied migrations whose up script's text is no longer what was applied.</summary>
internal static class DriftCheck
{
    public static IReadOnlyList<Migration> Drifted(MigrationSet set, IReadOnlyList<JournalEntry> journal) =>
    [
        .. set.Migrations.Where(m => journal.Any(j => j.ScriptName == m.Name && j.Checksum != m.Up.Checksum)),
    ];

    /// <summary>Refuses to go on when an applied script changed: what ran is no longer what the folder says.</summary>
    public static void Refuse(MigrationSet set, IReadOnlyList<JournalEntry> journal)
    {
        var drifted = Drifted(set, journal);
        if (drifted.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", drifted.Select(m => m.Up.FileName));
        throw new MigratorFailureException(new MigratorError(
            MigratorErrorKind.Failed,
            $"Refusing to run: {names} changed after it was applied (its checksum differs from the one in {JournalTable.QualifiedName}). " +
            "An applied migration must not be edited; restore the applied text (see git history), or put the change in a new migration.")
        {
            Script = drifted[0].Up.FileName,
        });
    }
}
