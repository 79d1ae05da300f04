using FkHarness.Rehearsal.Pipeline;

namespace FkHarness.AppHost.Cli;

/// <summary>What the AppHost itself decides (the rest of the command line is the rehearsal's, passed on).</summary>
internal sealed record AppHostOptions
{
    /// <summary>--postgres local|container, or null to choose (local where the binaries are, else a container).</summary>
    public PostgresKind? Postgres { get; init; }

    /// <summary>--postgres-image: the container image (registry/name:tag) instead of the official one.</summary>
    public string? PostgresImage { get; init; }

    /// <summary>--no-dashboard: headless, as under CI.</summary>
    public bool NoDashboard { get; init; }

    /// <summary>The run: its id and its artifacts folder (absolute; ./artifacts/&lt;run id&gt; when --artifacts was not given), made once here for every step.</summary>
    public required RehearsalArtifacts Run { get; init; }

    public string ArtifactsDirectory => Run.Directory;

    /// <summary>The arguments for the rehearsal project: the rehearsal's own options, paths made absolute.</summary>
    public required IReadOnlyList<string> RehearsalArguments { get; init; }
}
