using System.Text.RegularExpressions;
using FkHarness.Seeder.Generation;

namespace FkHarness.Tests.Seeding;

public sealed partial class UserIdCodecTests
{
    [GeneratedRegex("^usr_[a-z0-9]{10}$")]
    private static partial Regex UserIdShape();

    [Fact]
    public void Ids_HaveThePlatformsShape_AndAreUnique()
    {
        var codec = new UserIdCodec(seed: 42);

        var ids = Enumerable.Range(0, 200_000).Select(slot => codec.Encode(slot)).ToList();

        Assert.All(ids.Take(1000), id => Assert.Matches(UserIdShape(), id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Ids_DependOnTheSeed_AndOnlyOnIt()
    {
        Assert.Equal(new UserIdCodec(1).Encode(12345), new UserIdCodec(1).Encode(12345));
        Assert.NotEqual(new UserIdCodec(1).Encode(12345), new UserIdCodec(2).Encode(12345));
    }

    [Fact]
    public void DeletedAndBaitIds_NeverCollideWithRealOnes()
    {
        var users = new UserDirectory(seed: 5, slotCount: 5_000);
        var real = Enumerable.Range(0, users.SlotCount).Select(users.UserIdOf).ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(Enumerable.Range(0, users.SlotCount).Select(users.DeletedUserIdFor), real.Contains);
        Assert.DoesNotContain(Enumerable.Range(0, users.SlotCount).Select(n => users.NobodyIdFor(n)), real.Contains);
    }
}
