namespace FkHarness.Migrator;

/// <summary>A script that hit its lock_timeout and was retried after <see cref="Delay"/>.</summary>
public sealed record LockWait(string Script, int Attempt, TimeSpan Delay, string Message);
