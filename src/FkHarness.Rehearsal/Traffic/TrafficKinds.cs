namespace FkHarness.Rehearsal.Traffic;

/// <summary>Every kind of write the synthetic writers make, as "insert error_logs": a sample's <see cref="WriteSample.Target"/> is its index here.</summary>
internal static class TrafficKinds
{
    public static IReadOnlyList<string> All { get; } =
    [
        .. TrafficTables.Text.SelectMany(t => new[] { $"insert {t.Name}", $"update {t.Name}" }),
        .. TrafficTables.Arrays.SelectMany(a => new[] { $"insert {a.Name}", $"update {a.Name}" }),
        "insert users",
        "delete users",
    ];

    public static byte Of(string operation, string table) => (byte)IndexOf($"{operation} {table}");

    /// <summary>"insert error_logs" → "error_logs".</summary>
    public static string TableOf(string kind) => kind[(kind.IndexOf(' ', StringComparison.Ordinal) + 1)..];

    private static int IndexOf(string kind)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == kind)
            {
                return i;
            }
        }

        throw new ArgumentException($"No such kind of traffic write: {kind}.", nameof(kind));
    }
}
