namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>Rows to insert, generated once per shape: a deployment and user ids drawn uniformly from all users.</summary>
internal sealed class InsertRows
{
    private InsertRows(long[] deployments, long[][] approvers)
    {
        Deployments = deployments;
        Approvers = approvers;
    }

    public long[] Deployments { get; }

    public long[][] Approvers { get; }

    public int Count => Deployments.Length;

    public static InsertRows Generate(int count, int idsPerRow, int users, int seed)
    {
        var random = new Random(seed);
        var deployments = new long[count];
        var approvers = new long[count][];
        for (var i = 0; i < count; i++)
        {
            deployments[i] = 1 + random.Next(1000);
            var ids = new long[idsPerRow];
            for (var k = 0; k < idsPerRow; k++)
            {
                ids[k] = 1 + random.Next(users);
            }

            approvers[i] = ids;
        }

        return new InsertRows(deployments, approvers);
    }
}
