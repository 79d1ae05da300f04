namespace FkHarness.Rehearsal.Postgres;

/// <summary>The plan's Step 2 backup, made for real: a pg_dump -Fc file.</summary>
internal sealed record BackupFile(string Path, long Bytes);
