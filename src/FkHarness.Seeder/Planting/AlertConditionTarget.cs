using Bogus;

namespace FkHarness.Seeder.Planting;

/// <summary><c>alert_conditions.id</c> as an array target: ids 1..count, all present.</summary>
internal sealed class AlertConditionTarget(int count) : IIdTarget
{
    public long PickValid(Randomizer random) => random.Number(1, count);

    // Conditions are never deleted in the seeded history, so a bad id is past the end (or the 0 a bug wrote).
    public long PickInvalid(Randomizer random) => random.Number(9) == 0 ? 0 : count + 1L + random.Number(0, count);
}
