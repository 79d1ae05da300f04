namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// One writer's committed valid writes, as it last wrote them: what "no valid write lost" checks
/// against the database by key. Rows whose last write ended without an answer (the connection
/// broke) are uncertain and left out of the check.
/// </summary>
internal sealed class TrafficLedger
{
    public Dictionary<(string Table, long Id), string> TextRows { get; } = [];

    public Dictionary<(string Table, long Id), long[]> ArrayRows { get; } = [];

    /// <summary>Users the writer inserted and has not deleted: nothing references them.</summary>
    public Dictionary<long, string> Users { get; } = [];

    public HashSet<long> DeletedUsers { get; } = [];

    public HashSet<(string Table, long Id)> Uncertain { get; } = [];

    public static TrafficLedger Merge(IEnumerable<TrafficLedger> ledgers)
    {
        var all = new TrafficLedger();
        foreach (var ledger in ledgers)
        {
            foreach (var (key, value) in ledger.TextRows)
            {
                all.TextRows[key] = value;
            }

            foreach (var (key, value) in ledger.ArrayRows)
            {
                all.ArrayRows[key] = value;
            }

            foreach (var (key, value) in ledger.Users)
            {
                all.Users[key] = value;
            }

            all.DeletedUsers.UnionWith(ledger.DeletedUsers);
            all.Uncertain.UnionWith(ledger.Uncertain);
        }

        return all;
    }
}
