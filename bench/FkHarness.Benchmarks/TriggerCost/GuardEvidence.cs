namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>Proof that the guard is index-backed: scan counters of the array tables, and the guard's own plan.</summary>
internal sealed record GuardEvidence(IReadOnlyList<(string Table, long SeqScans, long IndexScans)> Counters, IReadOnlyList<string> PlanLines);
