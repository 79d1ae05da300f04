namespace FkHarness.AppHost.Cli;

/// <summary>Where the PostgreSQL behind <c>fkdb</c> comes from.</summary>
internal enum PostgresKind
{
    /// <summary>A server DCP runs from this machine's PostgreSQL binaries, in a throwaway folder.</summary>
    Local,

    /// <summary>Aspire.Hosting.PostgreSQL's container (Docker or Podman).</summary>
    Container,

    /// <summary>A server someone already runs (--connection-string): a fresh database there, dropped after.</summary>
    Existing,
}
