using Bogus;

namespace FkHarness.Seeder.Planting;

/// <summary>The table a BIGINT[] column points into: where valid and invalid ids come from.</summary>
internal interface IIdTarget
{
    long PickValid(Randomizer random);

    /// <summary>An id that is guaranteed to have no row in the target table.</summary>
    long PickInvalid(Randomizer random);
}
