using Bogus;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct UserPreferenceRow(long Id, string UserId, string Key, string Value, DateTime UpdatedAt);

/// <summary>
/// Settings per user, each key at most once per user (the table's unique key). Finding 2 (required
/// FK): orphans are deleted by 025. Planted values stay unique per (user_id, key) by construction.
/// </summary>
internal sealed class UserPreferencesTable : SeedTable<UserPreferenceRow>
{
    private static readonly string[] BetaFeatures = ["new-timeline", "ai-summaries", "dark-charts", "bulk-approvals"];

    private readonly SeedContext _context;
    private readonly TextOrphanPlanter _planter;

    public UserPreferencesTable(SeedContext context)
    {
        _context = context;
        _planter = context.TextPlanter(Name, "user_id", nullable: false);
    }

    public override string Name => "user_preferences";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("user_id"), SeedColumn.Text("preference_key"),
        SeedColumn.Text("preference_value"), SeedColumn.Timestamp("updated_at"),
    ];

    protected override IEnumerable<UserPreferenceRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var users = _context.Users;
        var keys = PlatformVocabulary.PreferenceKeys;
        long id = 0;
        for (var slot = 0; slot < users.SlotCount; slot++)
        {
            if (users.KindOf(slot) != UserSlotKind.Person || !Skewed.Chance(random, 0.75))
            {
                continue;
            }

            var count = Math.Min(keys.Length, 1 + (int)(12 * Math.Pow(random.Double(), 1.5)));
            var userId = users.UserIdOf(slot);
            var createdAt = users.CreatedAt(slot);
            // The common settings first (theme, timezone…), then a shuffled tail: keys stay unique per user.
            var chosen = keys.Take(3).Concat(random.Shuffle(keys.Skip(3))).Take(count).ToArray();
            foreach (var key in chosen)
            {
                id++;
                var stored = _planter.Apply(id, slot, userId, uniqueScope: key)!;
                var updatedAt = Timeline.Later(createdAt, TimeSpan.FromDays(Skewed.LogUniform(random, 0.001, 400)));
                yield return new UserPreferenceRow(id, stored, key, ValueFor(key, random), updatedAt);
            }
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in UserPreferenceRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.UserId);
        importer.WriteText(row.Key);
        importer.WriteText(row.Value);
        importer.WriteTimestamp(row.UpdatedAt);
    }

    private static string ValueFor(string key, Randomizer random) => key switch
    {
        "theme" => random.ArrayElement(["dark", "light", "system"]),
        "timezone" => Skewed.Pick(random, PlatformVocabulary.Timezones, skew: 1.8),
        "locale" => Skewed.Pick(random, PlatformVocabulary.Locales, skew: 2),
        "notifications.email" or "notifications.slack" or "sidebar.collapsed" or "alerts.sound" => random.Bool(0.7f) ? "true" : "false",
        "notifications.digest" => random.ArrayElement(["daily", "weekly", "never"]),
        "dashboard.default" => random.ArrayElement(["overview", "deployments", "alerts", "my-services"]),
        "deployments.default_environment" => random.ArrayElement(PlatformVocabulary.Environments),
        "pagination.page_size" => random.ArrayElement(["25", "50", "100"]),
        "date_format" => random.ArrayElement(["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "relative"]),
        "editor.font_size" => random.Number(11, 18).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "beta.features" => string.Join(",", random.Shuffle(BetaFeatures).Take(random.Number(1, 3))),
        _ => "true",
    };
}
