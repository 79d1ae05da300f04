namespace FkHarness.Rehearsal.Postgres;

/// <summary>Schema (normalised pg_dump) and data (per-table checksums) at one moment.</summary>
internal sealed record DatabaseSnapshot(string Schema, IReadOnlyDictionary<string, string> Checksums);
