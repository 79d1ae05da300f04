using Bogus;
using FkHarness.Seeder.Manifest;
using FkHarness.Seeder.Planting;

namespace FkHarness.Tests.Seeding;

public sealed class PlantingScheduleTests
{
    private static readonly OrphanKind[] Kinds = [OrphanKind.DeletedUser, OrphanKind.Typo, OrphanKind.EmptyString];

    [Theory]
    [InlineData(0.02, 100_000)]
    [InlineData(0.1, 10_000)]
    [InlineData(0.5, 1_000)]
    public void PlantsTheRateExactly_NotBinomially(double rate, int rows)
    {
        var schedule = new PlantingSchedule(rate, rows, Kinds, new Randomizer(3));

        var planted = Enumerable.Range(0, rows).Count(_ => schedule.Next() is not null);

        Assert.InRange(planted, (rate * rows) - 1, (rate * rows) + 1);
    }

    [Fact]
    public void DealsEveryKind_BeforeAnyKindTwice()
    {
        var schedule = new PlantingSchedule(0.1, 10_000, Kinds, new Randomizer(9));

        var dealt = Enumerable.Range(0, 10_000).Select(_ => schedule.Next()).OfType<OrphanKind>().ToList();

        foreach (var round in dealt.Chunk(Kinds.Length).Where(r => r.Length == Kinds.Length))
        {
            Assert.Equal(Kinds.Order(), round.Order());
        }
    }

    [Fact]
    public void SmallTables_StillGetEveryKind()
    {
        var schedule = new PlantingSchedule(0.001, 20, Kinds, new Randomizer(1));

        var dealt = Enumerable.Range(0, 20).Select(_ => schedule.Next()).OfType<OrphanKind>().ToHashSet();

        Assert.Equal(Kinds.Order(), dealt.Order());
    }

    [Fact]
    public void RateZero_PlantsNothing()
    {
        var schedule = new PlantingSchedule(0, 1_000, Kinds, new Randomizer(1));

        Assert.All(Enumerable.Range(0, 1_000), _ => Assert.Null(schedule.Next()));
    }
}
