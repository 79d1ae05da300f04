using Bogus;
using FkHarness.Seeder.Manifest;

namespace FkHarness.Seeder.Planting;

/// <summary>
/// Decides which rows of one relationship get a planted value, and of which kind. Rows are split
/// into blocks of 1/rate and one random row per block is planted: the count is exact rather than
/// binomial, positions are still random, and nothing is buffered. Kinds are dealt like cards, a
/// freshly shuffled deck per round, so every kind appears once before any appears twice.
/// </summary>
internal sealed class PlantingSchedule
{
    // Never plant more than half a table: above that the "real" data would be the exception.
    private const double MaximumRate = 0.5;

    private readonly Randomizer _random;
    private readonly IReadOnlyList<OrphanKind> _kinds;
    private readonly double _block;
    private readonly Queue<OrphanKind> _deck = new();
    private long _row;
    private long _blockIndex;
    private long _nextPlantAt = -1;

    public PlantingSchedule(double rate, long expectedRows, IReadOnlyList<OrphanKind> kinds, Randomizer random)
    {
        _random = random;
        _kinds = kinds;
        if (rate <= 0 || kinds.Count == 0)
        {
            return;
        }

        // Small test databases still get every kind at least once: raise the rate for small tables
        // (by half again, because per-owner tables only have an estimated row count).
        var effective = Math.Min(MaximumRate, Math.Max(rate, 1.5 * kinds.Count / Math.Max(1, expectedRows)));
        _block = 1 / effective;
        _nextPlantAt = (long)(_block * _random.Double());
    }

    /// <summary>Called once per generated row, in order: the kind to plant in it, or null.</summary>
    public OrphanKind? Next()
    {
        var row = _row++;
        if (row != _nextPlantAt)
        {
            return null;
        }

        _blockIndex++;
        _nextPlantAt = Math.Max(row + 1, (long)((_blockIndex + _random.Double()) * _block));
        return Deal();
    }

    private OrphanKind Deal()
    {
        if (_deck.Count == 0)
        {
            foreach (var kind in _random.Shuffle(_kinds))
            {
                _deck.Enqueue(kind);
            }
        }

        return _deck.Dequeue();
    }
}
