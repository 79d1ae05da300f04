using Bogus;
using FkHarness.Catalog;
using FkHarness.Seeder.Manifest;
using FkHarness.Seeder.Planting;

namespace FkHarness.Seeder.Generation;

/// <summary>
/// What every table generator shares: the options, the plan, the users, and the planters the
/// catalog asks for. Each table and each finding draws from its own seeded random stream, so
/// changing the orphan rate changes only planted cells, and adding a column to one table leaves
/// every other table as it was.
/// </summary>
internal sealed class SeedContext
{
    private readonly HashSet<int> _plantedFindings = [];

    public SeedContext(SeedOptions options, ForeignKeyCatalog catalog)
    {
        Options = options;
        Catalog = catalog;
        Plan = SeedPlan.ForScale(options.Scale);
        Users = new UserDirectory(options.Seed, Plan.UserSlots);
    }

    public SeedOptions Options { get; }
    public ForeignKeyCatalog Catalog { get; }
    public SeedPlan Plan { get; }
    public UserDirectory Users { get; }
    public ManifestRecorder Recorder { get; } = new();

    /// <summary>A Faker with its own random stream for <paramref name="table"/>.</summary>
    public Faker FakerFor(string table) => new("en") { Random = RandomFor("table:" + table) };

    /// <summary>The key that jitters a time-ordered table's timestamps; other tables use it to find when a row happened.</summary>
    public ulong ClockKey(string table) => StableHash.Of((ulong)(uint)Options.Seed, StableHash.Of("clock:" + table));

    public TextOrphanPlanter TextPlanter(string table, string column, bool nullable)
    {
        var (finding, schedule, random) = Prepare(table, column, nullable, f => f.IsTextForeignKey);
        return new TextOrphanPlanter(finding, schedule, random, Users, Recorder);
    }

    public ArrayOrphanPlanter ArrayPlanter(string table, string column, bool nullable, IIdTarget target)
    {
        var (finding, schedule, random) = Prepare(table, column, nullable, f => f.IsArrayForeignKey);
        return new ArrayOrphanPlanter(finding, schedule, random, target, Recorder);
    }

    public ExternalIdPlanter ExternalIdPlanter(string table, string column)
    {
        var (finding, schedule, random) = Prepare(table, column, nullable: false, f => f.Kind == ForeignKeyKind.ExternalId);
        return new ExternalIdPlanter(finding, schedule, random, Users, Recorder);
    }

    /// <summary>The catalog findings no generator asked a planter for: a catalog the seeder does not cover.</summary>
    public IEnumerable<ForeignKeyFinding> UnplantedFindings =>
        Catalog.Findings.Where(f => !_plantedFindings.Contains(f.Id));

    private (ForeignKeyFinding, PlantingSchedule, Randomizer) Prepare(
        string table, string column, bool nullable, Func<ForeignKeyFinding, bool> expectedKind)
    {
        var finding = Catalog.Findings.SingleOrDefault(f => f.SourceTable == table && f.SourceColumn == column)
            ?? throw new InvalidOperationException($"The FK catalog has no finding for {table}.{column}.");
        if (!expectedKind(finding))
        {
            throw new InvalidOperationException($"The FK catalog lists {table}.{column} as {finding.Kind}, which this generator does not plant.");
        }

        _plantedFindings.Add(finding.Id);
        var random = RandomFor($"finding:{finding.Id}");
        var expectedRows = Plan.ExpectedRows.GetValueOrDefault(table, 1);
        var schedule = new PlantingSchedule(Options.OrphanRate, expectedRows, OrphanKinds.For(finding, nullable), random);
        return (finding, schedule, random);
    }

    private Randomizer RandomFor(string stream) => new(StableHash.SeedFor(Options.Seed, stream));
}
