using Bogus;
using FkHarness.Catalog;
using FkHarness.Seeder.Generation;
using FkHarness.Seeder.Manifest;

namespace FkHarness.Seeder.Planting;

/// <summary>
/// Plants external ids that look like they could be references (a <c>usr_</c> id of nobody, a bare
/// UUID) but match nothing, on purpose: the fix must leave these columns alone, and a cleanup that
/// "helpfully" treats them as orphans would show up here.
/// </summary>
internal sealed class ExternalIdPlanter(
    ForeignKeyFinding finding,
    PlantingSchedule schedule,
    Randomizer random,
    UserDirectory users,
    ManifestRecorder recorder)
{
    public string? Apply(long rowId, string? natural)
    {
        if (schedule.Next() is not { } kind)
        {
            return natural;
        }

        var value = random.Bool()
            ? users.NobodyIdFor(rowId)
            : random.Uuid().ToString();
        recorder.Record(finding, new PlantedOrphan(rowId, kind, value, ExpectedAction.Leave));
        return value;
    }
}
