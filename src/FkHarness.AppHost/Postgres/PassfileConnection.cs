using FkHarness.Provisioning;

namespace FkHarness.AppHost.Postgres;

/// <summary>
/// The container server's connection string as Aspire's, but with Npgsql's <c>Passfile</c> where
/// Aspire writes the password: what the server's connection string is redirected to, and so what
/// fkdb's (<c>{server};Database=fkdb</c>) and the health checks use. Not a resource of the app.
/// </summary>
internal sealed class PassfileConnection(PostgresServerResource server, PasswordFolder folder)
    : Resource($"{server.Name}-passfile"), IResourceWithConnectionString
{
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={server.PrimaryEndpoint.Property(EndpointProperty.Host)};Port={server.PrimaryEndpoint.Property(EndpointProperty.Port)};Username={folder.UserName};Passfile={folder.PassFile}");
}
