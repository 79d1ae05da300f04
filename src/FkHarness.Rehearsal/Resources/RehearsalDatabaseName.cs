namespace FkHarness.Rehearsal.Resources;

/// <summary>
/// Names of the databases a rehearsal creates on an existing server: one prefix, so anything of
/// ours is recognisable (and nothing else is ever dropped), and the run id, so runs never collide.
/// </summary>
internal static class RehearsalDatabaseName
{
    public const string Prefix = "fkharness_rehearsal_";

    /// <summary>fkharness_rehearsal_20260101_120000_ab12 for run 20260101-120000-ab12.</summary>
    public static string For(string runId) => Prefix + runId.Replace('-', '_').ToLowerInvariant();

    public static bool IsOurs(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);
}
