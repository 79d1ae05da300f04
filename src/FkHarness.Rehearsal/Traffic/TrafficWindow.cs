namespace FkHarness.Rehearsal.Traffic;

/// <summary>The writes that started in one window ("before", "025", "026"): how many, their latency (ms, NaN for none), and how many failed.</summary>
internal sealed record TrafficWindow(
    string Name, DateTimeOffset From, DateTimeOffset To, int Writes, double P50Ms, double P99Ms, double MaxMs, int Rejected23503, int OtherFailures);
