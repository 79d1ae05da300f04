using FkHarness.AppHost.Cli;
using FkHarness.Provisioning;
using FkHarness.Rehearsal;

namespace FkHarness.AppHost.Postgres;

/// <summary>Which PostgreSQL runs fkdb, and the one-line reason the run prints first; or why none can.</summary>
internal sealed record PostgresChoice(PostgresKind Kind, string Reason)
{
    public string? ConnectionString { get; init; }

    public int Port { get; init; }

    public string? Image { get; init; }

    public static async Task<(PostgresChoice? Choice, string? Problem)> MakeAsync(RehearsalOptions rehearsal, AppHostOptions appHost, CancellationToken cancellationToken)
    {
        if (rehearsal.ConnectionString is { } existing)
        {
            return (new PostgresChoice(PostgresKind.Existing, "--connection-string (or ConnectionStrings__fkdb) names a server: a fresh database there, dropped after") { ConnectionString = existing }, null);
        }

        var binaries = TryLocateBinaries();
        switch (appHost.Postgres)
        {
            case PostgresKind.Local when binaries is null:
                return (null, "--postgres local needs the PostgreSQL server binaries (initdb, postgres): on Debian/Ubuntu apt-get install postgresql. Or use --postgres container, or --connection-string for a server you run.");
            case PostgresKind.Local:
                return (Local(rehearsal, $"--postgres local: the server binaries in {binaries}"), null);
            case PostgresKind.Container when await ContainerRuntime.PrepareAsync(cancellationToken) is { } runtime:
                return (Container(appHost, $"--postgres container ({runtime} answers)"), null);
            case PostgresKind.Container:
                return (null, "--postgres container needs a container runtime that answers (docker info or podman info): install Docker, or Podman with scripts/build-postgres-image.sh (which also builds a local PostgreSQL image for --postgres-image).");
        }

        if (binaries is not null)
        {
            return (Local(rehearsal, $"the PostgreSQL server binaries are in {binaries} (--postgres container for a container instead)"), null);
        }

        if (await ContainerRuntime.PrepareAsync(cancellationToken) is { } found)
        {
            return (Container(appHost, $"no PostgreSQL server binaries here, and {found} answers"), null);
        }

        return (null,
            "No PostgreSQL to rehearse on: this machine has neither the PostgreSQL server binaries (initdb, postgres) nor a container runtime that answers. " +
            "Install one of them (on Debian/Ubuntu: apt-get install postgresql; or Docker; or Podman, e.g. with scripts/build-postgres-image.sh, which also builds a local image), " +
            "or rehearse on a server you run with --connection-string.");
    }

    public string Describe() => $"fkharness: PostgreSQL: {Kind.ToString().ToLowerInvariant()}, because {Reason}";

    private static PostgresChoice Local(RehearsalOptions rehearsal, string reason) => new(PostgresKind.Local, reason) { Port = rehearsal.Port };

    private static PostgresChoice Container(AppHostOptions appHost, string reason) => new(PostgresKind.Container, reason) { Image = appHost.PostgresImage };

    private static string? TryLocateBinaries()
    {
        try
        {
            var binaries = PostgresBinaries.Locate();
            return File.Exists(binaries.Initdb) && File.Exists(binaries.Postgres) ? binaries.BinDirectory : null;
        }
        catch (ProvisioningException)
        {
            return null;
        }
    }
}
