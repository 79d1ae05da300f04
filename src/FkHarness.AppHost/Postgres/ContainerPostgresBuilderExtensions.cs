using FkHarness.Provisioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FkHarness.AppHost.Postgres;

/// <summary>
/// <c>AddPostgres(...)</c> from Aspire.Hosting.PostgreSQL, with its generated password only in the
/// run's 0600 files (<see cref="PasswordFolder"/>), nowhere Aspire shows or keeps things: the
/// container reads it through <c>POSTGRES_PASSWORD_FILE</c> (the official image's contract) from a
/// read-only bind mount, and every connection string names the password file (Npgsql's
/// <c>Passfile</c>) instead of carrying the password. Aspire itself would put the password in the
/// container's POSTGRES_PASSWORD and in the server's and fkdb's connection strings and connection
/// properties (each referencing project's ConnectionStrings__fkdb, FKDB_PASSWORD, FKDB_URI), all
/// shown in the dashboard's environment view, and a generated parameter would be saved in user
/// secrets under the home folder.
/// </summary>
internal static class ContainerPostgresBuilderExtensions
{
    private const string PasswordVariable = "POSTGRES_PASSWORD";
    private const string PasswordInContainer = "/run/secrets/postgres-password";

    public static IResourceBuilder<PostgresServerResource> AddContainerPostgres(this IDistributedApplicationBuilder builder, string name, string? image)
    {
        var folder = PasswordFolder.Plan(LocalServerFolder.SuperUser);
        // AddPostgres needs a password parameter. This one is no resource of the app (the dashboard
        // lists none, nothing is saved) and its value is empty: what Aspire derives from it (the
        // FKDB_PASSWORD and FKDB_URI it gives every project referencing fkdb) holds no secret.
        var noPassword = new ParameterResource($"{name}-password", _ => "", secret: true);
        var server = builder.AddPostgres(name, password: builder.CreateResourceBuilder(noPassword));
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server.Resource, (_, cancellationToken) => folder.CreateAsync(cancellationToken));
        builder.Services.AddHostedService(services => new PasswordFolderRemover(folder, services.GetRequiredService<IHostApplicationLifetime>()));
        server = server
            .WithBindMount(folder.PasswordFile, PasswordInContainer, isReadOnly: true)
            .WithEnvironment(context =>
            {
                // Runs after AddPostgres's own callback, which set the password itself.
                context.EnvironmentVariables.Remove(PasswordVariable);
                context.EnvironmentVariables[$"{PasswordVariable}_FILE"] = PasswordInContainer;
            })
            .WithConnectionStringRedirection(new PassfileConnection(server.Resource, folder));
        if (image is not null)
        {
            var (registry, imageName, tag) = ImageReference.Parse(image);
            server = registry is null ? server.WithImage(imageName, tag) : server.WithImageRegistry(registry).WithImage(imageName, tag);
            if (registry == "localhost")
            {
                server = server.WithImagePullPolicy(ImagePullPolicy.Never);
            }
        }

        return server;
    }
}
