using FkHarness.Rehearsal.Pipeline;

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

    /// <summary>
    /// A later step of a rehearsal run step by step (--step): the database an earlier step of run
    /// <paramref name="runId"/> provisioned, to carry on with.
    /// </summary>
    Task<RehearsalDatabase> ReattachAsync(string runId, CancellationToken cancellationToken) =>
        throw new StageFailedException($"The {Kind} cannot be shared between steps run as separate processes: run --step with --use-fkdb or an existing server ({FkHarness.Catalog.FkdbConnectionString.EnvironmentVariable}).", FailureKind.InvalidInput);

    /// <summary>The next step carries on with the database: disposing this provider must leave it.</summary>
    void HandOver()
    {
    }

    /// <summary>Drops the database / stops the cluster; with <paramref name="keep"/> leaves it running and says how to reach it.</summary>
    Task<TeardownResult> TearDownAsync(bool keep, CancellationToken cancellationToken);
}
