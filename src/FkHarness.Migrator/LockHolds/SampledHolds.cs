namespace FkHarness.Migrator.LockHolds;

/// <summary>
/// Turns the samples taken while a statement ran into holds. A lock seen in consecutive samples
/// is one hold (inside a CALL, one per transaction: its start tells them apart; CREATE INDEX
/// CONCURRENTLY keeps its lock across its own transactions, so there the lock alone counts). A
/// hold began after the last sample without it and ended before the first sample without it
/// again, and within the statement: those bounds are what is reported, so a hold is never
/// reported shorter than it was.
/// </summary>
internal static class SampledHolds
{
    public static IEnumerable<(StatementSpan Span, HeldLock Lock, long Start, long End)> Of(StatementSpan span, IEnumerable<LockSample> samples)
    {
        var end = span.End ?? span.Start;
        var open = new Dictionary<(string Table, string Mode, DateTimeOffset? Transaction), (HeldLock Lock, long Start)>();
        long? previousSent = null;
        foreach (var sample in samples.OrderBy(s => s.Sent))
        {
            var seen = sample.Locks.GroupBy(l => Key(span, l)).ToDictionary(g => g.Key, g => g.First());
            foreach (var (key, heldLock) in seen.Where(s => !open.ContainsKey(s.Key)))
            {
                open[key] = (heldLock, Math.Max(span.Start, previousSent ?? span.Start));
            }

            foreach (var gone in open.Keys.Where(k => !seen.ContainsKey(k)).ToList())
            {
                yield return (span, open[gone].Lock, open[gone].Start, Math.Min(sample.Received, end));
                open.Remove(gone);
            }

            previousSent = sample.Sent;
        }

        foreach (var (heldLock, start) in open.Values)
        {
            yield return (span, heldLock, start, end);
        }
    }

    private static (string, string, DateTimeOffset?) Key(StatementSpan span, HeldLock heldLock) =>
        (heldLock.Table, heldLock.Mode, span.Kind == StatementKind.CommitsInside ? heldLock.TransactionStart : null);
}
