using System.Text.RegularExpressions;
using FkHarness.Catalog;

namespace FkHarness.Migrator.Scripts;

/// <summary>
/// A folder of migrations: the audit (<c>NNN_*.sql</c> without .up/.down, not journaled), the
/// up/down pairs, and optionally <c>baseline/000_pre_fix_schema.sql</c> and the FK catalog.
/// </summary>
public sealed partial class MigrationSet
{
    public const string DefaultFolderName = "migrations";
    public const string BaselineRelativePath = "baseline/000_pre_fix_schema.sql";

    private MigrationSet(string directory, IReadOnlyList<Migration> migrations, MigrationScript? audit, MigrationScript? baseline)
    {
        Directory = directory;
        Migrations = migrations;
        Audit = audit;
        Baseline = baseline;
    }

    public string Directory { get; }

    /// <summary>Up/down pairs, oldest first.</summary>
    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>The read-only audit script (024), run only by <c>audit</c>.</summary>
    public MigrationScript? Audit { get; }

    /// <summary>The pre-fix schema fixture, run only by <c>baseline</c>.</summary>
    public MigrationScript? Baseline { get; }

    /// <summary>The folder shipped beside the migrator (<c>AppContext.BaseDirectory/migrations</c>).</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, DefaultFolderName);

    /// <summary>Loads <paramref name="directory"/>, or the shipped folder when null.</summary>
    /// <exception cref="MigrationSetException">The folder is missing or a script has no twin.</exception>
    public static MigrationSet Load(string? directory = null)
    {
        var root = Path.GetFullPath(string.IsNullOrWhiteSpace(directory) ? DefaultDirectory : directory);
        if (!System.IO.Directory.Exists(root))
        {
            throw new MigrationSetException(
                $"The migrations folder {root} does not exist. Pass --migrations DIR with the folder that holds the NNN_title.up.sql/.down.sql scripts.");
        }

        var files = System.IO.Directory.GetFiles(root, "*.sql", SearchOption.TopDirectoryOnly);
        var baselinePath = Path.Combine(root, BaselineRelativePath);
        var baseline = File.Exists(baselinePath) ? MigrationScript.Load(BaselineRelativePath, baselinePath) : null;
        return new MigrationSet(root, MigrationPairing.Pair(root, files), FindAudit(root, files), baseline);
    }

    /// <summary>The FK catalog shipped in the folder, or the one embedded in FkHarness.Catalog.</summary>
    public ForeignKeyCatalog LoadCatalog()
    {
        var path = Path.Combine(Directory, ForeignKeyCatalog.FileName);
        return File.Exists(path) ? ForeignKeyCatalog.LoadFile(path) : ForeignKeyCatalog.LoadEmbedded();
    }

    /// <summary>The migration with this number ("025" or "25"), or null.</summary>
    public Migration? Find(string version) =>
        int.TryParse(version, out var number) ? Migrations.FirstOrDefault(m => m.Number == number) : null;

    private static MigrationScript? FindAudit(string root, string[] files)
    {
        var audits = files.Where(f => AuditName().IsMatch(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToList();
        return audits.Count switch
        {
            0 => null,
            1 => MigrationScript.Load(Path.GetFileNameWithoutExtension(audits[0]), audits[0]),
            _ => throw new MigrationSetException(
                $"{root} holds more than one audit script ({string.Join(", ", audits.Select(Path.GetFileName))}); keep exactly one NNN_*.sql that is not an .up/.down script."),
        };
    }

    [GeneratedRegex(@"^\d+_[^.]+\.sql$")]
    private static partial Regex AuditName();
}
