using Bogus;

namespace FkHarness.Seeder.Planting;

/// <summary>Natural (clean) arrays: distinct valid ids, as the application would have written them.</summary>
internal static class DistinctIds
{
    public static long?[] Pick(Randomizer random, IIdTarget target, int count)
    {
        var ids = new List<long?>(count);
        // A few retries cover the rare repeat; a short array is still a valid array.
        for (var attempt = 0; ids.Count < count && attempt < count * 4; attempt++)
        {
            var id = target.PickValid(random);
            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return [.. ids];
    }
}
