using System.Globalization;
using FkHarness.Rehearsal.Verification;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>What the traffic must show, as verification checks: no valid write lost, every rejection a 23503, invalid writes rejected once guarded, no valid one rejected.</summary>
internal static class TrafficChecks
{
    public const string Category = "traffic";

    public static IEnumerable<VerificationCheck> For(TrafficResult result)
    {
        if (result.Error is { } error)
        {
            yield return VerificationCheck.Fail(Category, "traffic ran and was checked", error);
        }

        yield return LostWrites(result);

        var others = result.FailuresBySqlState.Where(f => f.Key != "23503").OrderByDescending(f => f.Value).ToList();
        yield return others.Count == 0
            ? VerificationCheck.Pass(Category, "every failed traffic write failed with 23503 (foreign_key_violation)",
                string.Create(CultureInfo.InvariantCulture, $"{result.FailuresBySqlState.GetValueOrDefault("23503")} rejected with 23503, no other SQLSTATE"))
            : VerificationCheck.Fail(Category, "every failed traffic write failed with 23503 (foreign_key_violation)",
                string.Join(", ", others.Select(o => $"{o.Key} × {o.Value}")) + FirstExample(result, others[0].Key)) with
            {
                Expected = "only 23503: a lock timeout (55P03), a statement timeout (57014) or a broken connection means the application would have seen errors during the migration",
            };

        yield return result.Problems.Count == 0
            ? VerificationCheck.Pass(Category, "no valid traffic write rejected, no invalid one accepted once its FK or trigger existed",
                string.Create(CultureInfo.InvariantCulture, $"{result.Samples.Count} writes, {result.InvalidTried} of them invalid on purpose"))
            : VerificationCheck.Fail(Category, "no valid traffic write rejected, no invalid one accepted once its FK or trigger existed",
                string.Join("; ", result.Problems.Take(3))) with { Expected = "what a native foreign key does: valid writes pass, invalid ones fail" };

        var rejected = result.FailuresBySqlState.GetValueOrDefault("23503");
        yield return result.InvalidTried == 0
            ? VerificationCheck.Skip(Category, "invalid traffic writes rejected once the FKs and triggers were on",
                "no invalid write was tried: the rate was too low, or the writers stopped before a table's FK or trigger existed")
            : VerificationCheck.Expect(rejected > 0, Category, "invalid traffic writes rejected once the FKs and triggers were on",
                string.Create(CultureInfo.InvariantCulture, $"{rejected} of {result.InvalidTried} invalid writes rejected with 23503"));
    }

    private static VerificationCheck LostWrites(TrafficResult result)
    {
        const string Name = "no valid traffic write lost: every committed write still there with its value, checked by key after the migrations";
        if (result.LostWrites is not { } lost)
        {
            return VerificationCheck.Skip(Category, Name, result.StoppedEarly ? "not checked: the writers were stopped early (Ctrl+C or a failed stage)" : "not checked");
        }

        var uncertain = lost.Uncertain == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"; {lost.Uncertain} left out (their last write got no answer)");
        return lost.Lost == 0
            ? VerificationCheck.Pass(Category, Name, string.Create(CultureInfo.InvariantCulture, $"{lost.Checked} rows and users checked, all as written{uncertain}"))
            : VerificationCheck.Fail(Category, Name,
                string.Create(CultureInfo.InvariantCulture, $"{lost.Lost} of {lost.Checked} not there as written: {string.Join("; ", lost.Examples.Take(3))}{uncertain}")) with
            {
                Expected = "every acknowledged write there as written: a migration that loses one loses an application's data",
            };
    }

    private static string FirstExample(TrafficResult result, string sqlState) =>
        result.Examples.FirstOrDefault(e => e.SqlState == sqlState) is { } example ? $" (first: {example.Kind}: {example.Message})" : "";
}
