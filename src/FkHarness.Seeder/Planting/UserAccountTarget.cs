using Bogus;
using FkHarness.Seeder.Generation;

namespace FkHarness.Seeder.Planting;

/// <summary><c>users.id</c> as an array target: approvers are mostly the early, senior accounts.</summary>
internal sealed class UserAccountTarget(UserDirectory users) : IIdTarget
{
    public long PickValid(Randomizer random) => UserDirectory.IdOf(users.PickAccount(random, skew: 2.5));

    public long PickInvalid(Randomizer random) => users.InvalidId(random);
}
