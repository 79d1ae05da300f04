using System.Globalization;
using System.Text.RegularExpressions;

namespace FkHarness.Migrator.Scripts;

/// <summary>Pairs <c>NNN_title.up.sql</c> with <c>NNN_title.down.sql</c>; every up needs its down and the other way round.</summary>
internal static partial class MigrationPairing
{
    public static IReadOnlyList<Migration> Pair(string root, IEnumerable<string> files)
    {
        var scripts = files
            .Select(f => (Path: f, Match: UpDownName().Match(Path.GetFileName(f))))
            .Where(x => x.Match.Success)
            .GroupBy(x => x.Match.Groups["name"].Value, StringComparer.Ordinal);

        var migrations = new List<Migration>();
        foreach (var pair in scripts)
        {
            var up = pair.FirstOrDefault(x => x.Match.Groups["direction"].Value == "up").Path;
            var down = pair.FirstOrDefault(x => x.Match.Groups["direction"].Value == "down").Path;
            if (up is null || down is null)
            {
                var (has, lacks) = up is null ? ("down", "up") : ("up", "down");
                throw new MigrationSetException(
                    $"{pair.Key}.{has}.sql in {root} has no {lacks} script: add {pair.Key}.{lacks}.sql (every migration needs both, so it can be applied and rolled back).");
            }

            var version = pair.First().Match.Groups["version"].Value;
            migrations.Add(new Migration(
                int.Parse(version, CultureInfo.InvariantCulture),
                version,
                pair.Key,
                MigrationScript.Load(pair.Key, up),
                MigrationScript.Load(pair.Key, down)));
        }

        RejectDuplicateNumbers(root, migrations);
        return [.. migrations.OrderBy(m => m.Number)];
    }

    private static void RejectDuplicateNumbers(string root, List<Migration> migrations)
    {
        var clash = migrations.GroupBy(m => m.Number).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new MigrationSetException(
                $"{root} has more than one migration numbered {clash.Key}: {string.Join(", ", clash.Select(m => m.Name))}. Give each migration its own number.");
        }
    }

    [GeneratedRegex(@"^(?<name>(?<version>\d+)_[^.]+)\.(?<direction>up|down)\.sql$")]
    private static partial Regex UpDownName();
}
