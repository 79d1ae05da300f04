using System.Security.Cryptography;
using FkHarness.AppHost.Cli;

namespace FkHarness.AppHost.Postgres;

/// <summary>The database <c>fkdb</c>, one contract (ConnectionStrings__fkdb) whichever PostgreSQL serves it.</summary>
internal static class FkdbBuilderExtensions
{
    public const string ServerName = "postgres";
    public const string DatabaseName = "fkdb";

    /// <summary>The arguments the rehearsal needs for this kind: its own fresh database on an existing server, else fkdb as it is.</summary>
    public static IReadOnlyList<string> RehearsalArguments(this PostgresChoice choice) =>
        choice.Kind == PostgresKind.Existing ? [] : ["--use-fkdb"];

    public static IResourceBuilder<IResourceWithConnectionString> AddFkdb(this IDistributedApplicationBuilder builder, PostgresChoice choice) => choice.Kind switch
    {
        PostgresKind.Local => builder.AddLocalPostgres(ServerName, choice.Port).AddDatabase(DatabaseName),
        PostgresKind.Container => builder.AddContainerPostgres(choice.Image).AddDatabase(DatabaseName),
        _ => builder.AddExistingServer(choice.ConnectionString!),
    };

    private static IResourceBuilder<PostgresServerResource> AddContainerPostgres(this IDistributedApplicationBuilder builder, string? image)
    {
        // A password made for this run, held in memory only: a generated parameter would be saved in user secrets under the home folder.
        builder.Configuration[$"Parameters:{ServerName}-password"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var password = builder.AddParameter($"{ServerName}-password", secret: true);
        var server = builder.AddPostgres(ServerName, password: password);
        if (image is not null)
        {
            var (registry, name, tag) = ImageReference.Parse(image);
            server = registry is null ? server.WithImage(name, tag) : server.WithImageRegistry(registry).WithImage(name, tag);
            if (registry == "localhost")
            {
                server = server.WithImagePullPolicy(ImagePullPolicy.Never);
            }
        }

        return server;
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddExistingServer(this IDistributedApplicationBuilder builder, string connectionString)
    {
        builder.Configuration[$"ConnectionStrings:{DatabaseName}"] = connectionString;
        return builder.AddConnectionString(DatabaseName);
    }
}
