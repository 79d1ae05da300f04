namespace FkHarness.Rehearsal.Resources;

/// <summary>
/// Where a rehearsal's database comes from: a throwaway cluster, or a fresh database on an
/// existing server. Disposing without a teardown still removes what was provisioned.
/// </summary>
internal interface IDatabaseProvider : IAsyncDisposable
{
    /// <summary>"throwaway cluster" or "existing server".</summary>
    string Kind { get; }

    /// <summary>Creates the rehearsal database. Bad input (a busy port, an unreachable server) throws a StageFailedException.</summary>
    Task<RehearsalDatabase> ProvisionAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Drops the database / stops the cluster; with <paramref name="keep"/> leaves it running and says how to reach it.</summary>
    Task<TeardownResult> TearDownAsync(bool keep, CancellationToken cancellationToken);
}
