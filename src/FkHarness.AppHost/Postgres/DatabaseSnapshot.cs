namespace FkHarness.AppHost.Postgres;

/// <summary>Schema (normalised pg_dump) and data (per-table checksums) at one moment.</summary>
public sealed record DatabaseSnapshot(string Schema, IReadOnlyDictionary<string, string> Checksums);
