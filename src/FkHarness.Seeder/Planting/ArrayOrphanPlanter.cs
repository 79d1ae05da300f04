using System.Globalization;
using System.Text;
using Bogus;
using FkHarness.Catalog;
using FkHarness.Seeder.Manifest;

namespace FkHarness.Seeder.Planting;

/// <summary>
/// Plants broken and legal-but-odd arrays in one BIGINT[] column. 026 changes no existing data, so
/// every planted row is expected to be left as it is; the orphan rows are the ones 024 must count.
/// </summary>
internal sealed class ArrayOrphanPlanter(
    ForeignKeyFinding finding,
    PlantingSchedule schedule,
    Randomizer random,
    IIdTarget target,
    ManifestRecorder recorder)
{
    /// <summary>The array to store in row <paramref name="rowId"/>: <paramref name="natural"/> or a planted one.</summary>
    public long?[]? Apply(long rowId, long?[]? natural)
    {
        if (schedule.Next() is not { } kind)
        {
            return natural;
        }

        var value = Plant(kind, natural);
        recorder.Record(finding, new PlantedOrphan(rowId, kind, ToPostgresText(value), OrphanKinds.ActionFor(kind, finding)));
        return value;
    }

    /// <summary>PostgreSQL's text form of a bigint[]: <c>{1,NULL,7}</c>, <c>{}</c>, or null for NULL.</summary>
    public static string? ToPostgresText(long?[]? array)
    {
        if (array is null)
        {
            return null;
        }

        var text = new StringBuilder("{");
        for (var i = 0; i < array.Length; i++)
        {
            text.Append(i == 0 ? "" : ",");
            text.Append(array[i] is { } id ? id.ToString(CultureInfo.InvariantCulture) : "NULL");
        }

        return text.Append('}').ToString();
    }

    private long?[]? Plant(OrphanKind kind, long?[]? natural)
    {
        var valid = natural is { Length: > 0 } ? new List<long?>(natural) : Valid(random.Number(1, 3));
        switch (kind)
        {
            case OrphanKind.MixedArray:
                for (var i = random.Number(1, 2); i > 0; i--)
                {
                    valid.Insert(random.Number(valid.Count), target.PickInvalid(random));
                }

                return [.. valid];
            case OrphanKind.AllInvalidArray:
                return [.. Enumerable.Range(0, random.Number(1, 3)).Select(_ => (long?)target.PickInvalid(random))];
            case OrphanKind.NullElement:
                valid.Insert(random.Number(valid.Count), null);
                return [.. valid];
            case OrphanKind.EmptyArray:
                return [];
            case OrphanKind.DuplicateElements:
                valid.Insert(random.Number(valid.Count), valid[random.Number(valid.Count - 1)]);
                return [.. valid];
            case OrphanKind.NullArray:
                return null;
            default:
                throw new InvalidOperationException($"{kind} is not an array kind.");
        }
    }

    private List<long?> Valid(int count) => [.. Enumerable.Range(0, count).Select(_ => (long?)target.PickValid(random))];
}
