namespace FkHarness.Benchmarks.Infrastructure;

/// <summary>What a psql run did: its exit code, what it said on stderr, how long it took.</summary>
internal sealed record PsqlOutcome(int ExitCode, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public PsqlOutcome EnsureSucceeded(string what) => Succeeded
        ? this
        : throw new InvalidOperationException($"{what} failed (psql exit code {ExitCode}): {StandardError.Trim()}");
}
