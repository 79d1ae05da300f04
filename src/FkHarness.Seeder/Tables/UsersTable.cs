using FkHarness.Seeder.Generation;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct UserRow(
    long Id, string? UserId, string Email, string DisplayName, string Role, bool IsActive, DateTime CreatedAt, DateTime? LastLoginAt);

/// <summary>
/// Staff accounts signing up over the first year; deleted accounts leave gaps in the id sequence,
/// service accounts have no <c>user_id</c> (the legacy column is nullable).
/// </summary>
internal sealed class UsersTable(SeedContext context) : SeedTable<UserRow>
{
    private static readonly (string Role, double Share)[] Roles = [("developer", 0.70), ("viewer", 0.16), ("sre", 0.10), ("admin", 0.04)];

    public override string Name => "users";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("user_id", nullable: true), SeedColumn.Text("email"), SeedColumn.Text("display_name"),
        SeedColumn.Text("role"), SeedColumn.Boolean("is_active"), SeedColumn.Timestamp("created_at"),
        SeedColumn.Timestamp("last_login_at", nullable: true),
    ];

    protected override IEnumerable<UserRow> Generate()
    {
        var faker = context.FakerFor(Name);
        var random = faker.Random;
        var users = context.Users;
        for (var slot = 0; slot < users.SlotCount; slot++)
        {
            var kind = users.KindOf(slot);
            if (kind == UserSlotKind.Deleted)
            {
                continue;
            }

            var createdAt = users.CreatedAt(slot);
            var neverLoggedIn = Skewed.Chance(random, 0.08);
            // Most accounts logged in recently; the cube pulls last logins towards the snapshot date.
            DateTime? lastLogin = neverLoggedIn
                ? null
                : Timeline.Earlier(Timeline.End, (Timeline.End - createdAt) * Math.Pow(random.Double(), 3));
            if (kind == UserSlotKind.ServiceAccount)
            {
                var service = faker.PickRandom(PlatformVocabulary.Services);
                yield return new UserRow(UserDirectory.IdOf(slot), null, $"svc-{service}@{PlatformVocabulary.CompanyDomain}",
                    $"svc-{service}", "service", true, createdAt, lastLogin);
                continue;
            }

            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var email = Skewed.Chance(random, 0.9)
                ? faker.Internet.Email(first, last, PlatformVocabulary.CompanyDomain)
                : faker.Internet.Email(first, last);
            yield return new UserRow(
                UserDirectory.IdOf(slot), users.UserIdOf(slot), email.ToLowerInvariant(), $"{first} {last}",
                PickRole(random.Double()), !Skewed.Chance(random, 0.07), createdAt, lastLogin);
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in UserRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.UserId);
        importer.WriteText(row.Email);
        importer.WriteText(row.DisplayName);
        importer.WriteText(row.Role);
        importer.WriteBoolean(row.IsActive);
        importer.WriteTimestamp(row.CreatedAt);
        importer.WriteTimestamp(row.LastLoginAt);
    }

    private static string PickRole(double roll)
    {
        foreach (var (role, share) in Roles)
        {
            if (roll < share)
            {
                return role;
            }

            roll -= share;
        }

        return Roles[0].Role;
    }
}
