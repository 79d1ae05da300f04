
namespace FkHarness.AppHost.Postgres;

/// <summary>A database on the local server (<c>fkdb</c>): what the projects reference, as any Aspire database.</summary>
internal sealed class LocalPostgresDatabaseResource(string name, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public LocalPostgresServerResource Parent => parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={Name}");
}
