namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// What "no valid write lost" found: how many rows and users were looked up by key (each one's
/// last committed valid write), how many were left out because their last write got no answer
/// (the connection broke), how many were not there as written, and a few of those named.
/// </summary>
internal sealed record LostWrites(int Checked, int Uncertain, int Lost, IReadOnlyList<string> Examples);
