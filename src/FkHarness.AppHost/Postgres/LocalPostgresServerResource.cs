using FkHarness.Provisioning;

namespace FkHarness.AppHost.Postgres;

/// <summary>
/// PostgreSQL from this machine's binaries, run by DCP as an executable in a throwaway folder.
/// Its connection string names the folder's 0600 password file, never the password, so the
/// dashboard's environment view and the logs have nothing to show.
/// </summary>
internal sealed class LocalPostgresServerResource(string name, string command, LocalServerFolder folder)
    : ExecutableResource(name, command, folder.Directory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public LocalServerFolder Folder => folder;

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={LocalServerFolder.SuperUser};Passfile={folder.PasswordFile}");

    /// <summary>For the AppHost's own checks: the server's maintenance database, no pooling.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={folder.Port};Username={LocalServerFolder.SuperUser};Passfile={folder.PasswordFile};Database=postgres;Pooling=false;Timeout=3";
}
