using FkHarness.Rehearsal.Traffic;

namespace FkHarness.Rehearsal;

/// <summary>What one rehearsal does, as given on the command line; the defaults are a full rehearsal.</summary>
internal sealed record RehearsalOptions
{
    public const double DefaultScale = 1;
    public const int DefaultSeed = 1;
    public const double DefaultOrphanRate = 0.02;

    /// <summary>The seeder's scale: 1 = 1,000 users, ~106,000 rows.</summary>
    public double Scale { get; init; } = DefaultScale;

    public int Seed { get; init; } = DefaultSeed;

    /// <summary>The fraction of rows per relationship that get a planted orphan or legal edge case.</summary>
    public double OrphanRate { get; init; } = DefaultOrphanRate;

    /// <summary>After verifying, roll back 026 and 025 and prove schema and data are as before.</summary>
    public bool Rollback { get; init; }

    /// <summary>Leave the database (and the throwaway cluster) running at the end.</summary>
    public bool Keep { get; init; }

    /// <summary>A <c>pg_dump -Fc</c> file to restore instead of baseline + seed.</summary>
    public string? FromDump { get; init; }

    /// <summary>The role 025/026 up and down run as (SET ROLE); null = the owner of public.users, as on staging.</summary>
    public string? MigrateAs { get; init; }

    /// <summary>The migrations folder to rehearse; null = the one shipped with the migrator.</summary>
    public string? MigrationsDirectory { get; init; }

    /// <summary>An existing server to rehearse on (a fresh database is created there); null = a throwaway cluster.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// Rehearse in the database the connection string names, as it is: the AppHost's resource
    /// <c>fkdb</c>, which the AppHost created and removes. Nothing is created or dropped here.
    /// </summary>
    public bool UseGivenDatabase { get; init; }

    /// <summary>Where the report files go; null = ./artifacts/&lt;run id&gt;.</summary>
    public string? ArtifactsDirectory { get; init; }

    /// <summary>The throwaway cluster's loopback port; 0 = a free one.</summary>
    public int Port { get; init; }

    /// <summary>--traffic: synthetic application writers during the migrations; null = none.</summary>
    public TrafficOptions? Traffic { get; init; }

    /// <summary>One step of the plan to run in a run folder shared with the other steps (the AppHost's resources); null = the whole rehearsal here.</summary>
    public StepRequest? Step { get; init; }

    public bool UsesExistingServer => ConnectionString is not null && !UseGivenDatabase;

    public bool SeedsData => FromDump is null;
}
