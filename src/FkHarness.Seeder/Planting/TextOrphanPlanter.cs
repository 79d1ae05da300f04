using Bogus;
using FkHarness.Catalog;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Manifest;

namespace FkHarness.Seeder.Planting;

/// <summary>
/// Plants orphans in one TEXT column that references <c>users.user_id</c>. Every planted value is an
/// orphan by construction, not by luck: real ids are exactly <c>usr_</c> + 10 lowercase
/// alphanumerics, and every variant below breaks that shape (or, for deleted users, is an id from
/// past the end of the table).
/// </summary>
internal sealed class TextOrphanPlanter(
    ForeignKeyFinding finding,
    PlantingSchedule schedule,
    Randomizer random,
    UserDirectory users,
    ManifestRecorder recorder)
{
    // The ways whitespace really gets in: padding, a tab or newline from a paste, a no-break space.
    private static readonly (string Before, string After)[] WhitespaceShapes =
        [(" ", ""), ("", " "), (" ", " "), ("\t", ""), ("", "\n"), ("", "\u00A0")];
    private readonly HashSet<string> _scopesWithEmptyString = [];

    /// <summary>
    /// The value to store in row <paramref name="rowId"/>: <paramref name="natural"/>, or a planted one
    /// derived from <paramref name="ownerSlot"/>, the user the row would have referenced.
    /// <paramref name="uniqueScope"/> names the rest of a composite unique key the column is part of.
    /// </summary>
    public string? Apply(long rowId, int ownerSlot, string? natural, string? uniqueScope = null)
    {
        if (schedule.Next() is not { } kind)
        {
            return natural;
        }

        if (kind == OrphanKind.EmptyString && uniqueScope is not null && !_scopesWithEmptyString.Add(uniqueScope))
        {
            kind = OrphanKind.CaseVariant; // a second ('', same key) would break the unique constraint
        }

        var value = Plant(kind, ownerSlot);
        recorder.Record(finding, new PlantedOrphan(rowId, kind, value, OrphanKinds.ActionFor(kind, finding)));
        return value;
    }

    private string? Plant(OrphanKind kind, int ownerSlot)
    {
        var real = users.UserIdOf(ownerSlot);
        var body = real[UserIdCodec.Prefix.Length..];
        return kind switch
        {
            OrphanKind.DeletedUser => users.DeletedUserIdFor(ownerSlot),
            OrphanKind.Typo => Typo(real, body),
            OrphanKind.CaseVariant => random.Number(2) switch
            {
                0 => real.ToUpperInvariant(),
                1 => "USR_" + body,
                _ => "Usr_" + body,
            },
            OrphanKind.WhitespaceVariant => Pad(real, random.ArrayElement(WhitespaceShapes)),
            OrphanKind.EmptyString => string.Empty,
            OrphanKind.NullValue => null,
            _ => throw new InvalidOperationException($"{kind} is not a TEXT orphan kind."),
        };
    }

    private static string Pad(string real, (string Before, string After) shape) => shape.Before + real + shape.After;

    private string Typo(string real, string body)
    {
        var at = random.Number(body.Length - 1);
        return random.Number(3) switch
        {
            0 => real.Remove(UserIdCodec.Prefix.Length + at, 1),                                // dropped character
            1 => real.Insert(UserIdCodec.Prefix.Length + at, body[at].ToString()),              // doubled character
            2 => "usr-" + body,                                                                 // wrong separator
            _ => "user_" + body,                                                                // wrong prefix
        };
    }
}
