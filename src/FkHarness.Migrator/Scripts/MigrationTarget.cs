using System.Globalization;
using FkHarness.Migrator.Errors;

namespace FkHarness.Migrator.Scripts;

/// <summary>Reads <c>--to</c>: the last migration <c>up</c> applies, or the one <c>down</c> stops above.</summary>
internal static class MigrationTarget
{
    /// <summary>The number of the newest migration to apply; all when <paramref name="to"/> is empty.</summary>
    public static int ForUp(MigrationSet set, string? to)
    {
        RequireMigrations(set);
        if (string.IsNullOrWhiteSpace(to))
        {
            return int.MaxValue;
        }

        return set.Find(to)?.Number ?? throw Invalid(
            $"--to {to} names no migration in {set.Directory}; expected one of {Known(set)}.");
    }

    /// <summary>Migrations numbered above this are rolled back; everything when <paramref name="to"/> is empty.</summary>
    public static int ForDown(MigrationSet set, string? to)
    {
        RequireMigrations(set);
        if (string.IsNullOrWhiteSpace(to))
        {
            return int.MinValue;
        }

        if (!int.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || (set.Find(to) is null && set.Migrations.Any(m => m.Number < number)))
        {
            throw Invalid(
                $"--to {to} is not a migration to roll back to: give one of {Known(set)}, or a number below the first migration (such as the audit's) to roll back everything.");
        }

        return number;
    }

    /// <summary>A folder without a single up/down pair is a wrong --migrations, not "nothing to do".</summary>
    private static void RequireMigrations(MigrationSet set)
    {
        if (set.Migrations.Count == 0)
        {
            throw Invalid($"{set.Directory} holds no migrations (NNN_title.up.sql / NNN_title.down.sql pairs). Pass --migrations with the folder that holds them.");
        }
    }

    private static string Known(MigrationSet set) =>
        set.Migrations.Count == 0 ? "(none: the folder has no migrations)" : string.Join(", ", set.Migrations.Select(m => m.Version));

    private static MigratorFailureException Invalid(string message) =>
        new(new MigratorError(MigratorErrorKind.InvalidInput, message));
}
