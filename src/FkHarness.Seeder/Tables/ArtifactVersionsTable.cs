using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Planting;
using Npgsql;

namespace FkHarness.Seeder.Tables;

internal readonly record struct ArtifactVersionRow(
    long Id, string ArtifactName, string Version, string Sha256, long SizeBytes, string? CreatedBy, DateTime CreatedAt);

/// <summary>
/// Build artifacts (images, bundles, migration packages), mostly pushed by CI with no user.
/// Finding 9 (nullable FK: 025 nulls orphans).
/// </summary>
internal sealed class ArtifactVersionsTable : SeedTable<ArtifactVersionRow>
{
    private static readonly string[] Suffixes = ["", "", "-worker", "-migrations", "-frontend"];

    private readonly SeedContext _context;
    private readonly TextOrphanPlanter _planter;

    public ArtifactVersionsTable(SeedContext context)
    {
        _context = context;
        _planter = context.TextPlanter(Name, "created_by", nullable: true);
    }

    public override string Name => "artifact_versions";

    public override IReadOnlyList<SeedColumn> Columns { get; } =
    [
        SeedColumn.Id(), SeedColumn.Text("artifact_name"), SeedColumn.Text("version"), SeedColumn.Text("sha256"),
        SeedColumn.Bigint("size_bytes"), SeedColumn.Text("created_by", nullable: true), SeedColumn.Timestamp("created_at"),
    ];

    protected override IEnumerable<ArtifactVersionRow> Generate()
    {
        var random = _context.FakerFor(Name).Random;
        var count = _context.Plan.ArtifactVersions;
        var clock = _context.ClockKey(Name);
        var users = _context.Users;
        var builds = new Dictionary<string, int>();
        for (long id = 1; id <= count; id++)
        {
            var when = Timeline.ActivityFraction(id, count, clock);
            var artifact = Skewed.Pick(random, PlatformVocabulary.Services, skew: 2.2) + random.ArrayElement(Suffixes);
            var build = builds[artifact] = builds.GetValueOrDefault(artifact) + 1;
            var version = $"{1 + (build / 400)}.{build / 25 % 16}.{build % 25}";
            var size = (long)Skewed.LogUniform(random, 5e6, 1.5e9);
            var owner = users.PickPerson(random, skew: 3.5, when);
            var createdBy = Skewed.Chance(random, 0.55) ? null : users.UserIdOf(owner);
            yield return new ArtifactVersionRow(
                id, artifact, version, Convert.ToHexStringLower(random.Bytes(32)), size, _planter.Apply(id, owner, createdBy), Timeline.At(when));
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, in ArtifactVersionRow row)
    {
        importer.WriteBigint(row.Id);
        importer.WriteText(row.ArtifactName);
        importer.WriteText(row.Version);
        importer.WriteText(row.Sha256);
        importer.WriteBigint(row.SizeBytes);
        importer.WriteText(row.CreatedBy);
        importer.WriteTimestamp(row.CreatedAt);
    }
}
