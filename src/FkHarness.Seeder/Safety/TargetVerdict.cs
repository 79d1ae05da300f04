namespace FkHarness.Seeder.Safety;

/// <summary>
/// What the inspector found: may we seed, and if not why; and whether existing rows must go first
/// (only ever with --force).
/// </summary>
internal sealed record TargetVerdict(bool MaySeed, string? Refusal, bool SchemaMismatch, bool HasMarker, IReadOnlyList<string> TablesWithData)
{
    public static TargetVerdict Refuse(string reason, bool hasMarker = false) => new(false, reason, false, hasMarker, []);

    public static TargetVerdict Mismatch(string reason, bool hasMarker) => new(false, reason, true, hasMarker, []);

    public static TargetVerdict Proceed(bool hasMarker, IReadOnlyList<string> tablesWithData) => new(true, null, false, hasMarker, tablesWithData);
}
