using FkHarness.Provisioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace FkHarness.AppHost.Postgres;

/// <summary>
/// <c>AddLocalPostgres(...).AddDatabase("fkdb")</c>: the throwaway server as an Aspire resource.
/// initdb runs while DCP starts, and DCP starts the server once it is done; the health check says when it takes queries;
/// then the database is created and marked Running (Aspire passes a parent's state on to its
/// children only for containers); the folder goes when the app stops, or with its watchdog.
/// </summary>
internal static class LocalPostgresBuilderExtensions
{
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, int port)
    {
        var folder = LocalServerFolder.Plan(port);
        var (program, arguments) = folder.ServerCommand();
        var server = new LocalPostgresServerResource(name, program, folder);
        var healthCheck = $"{name}-accepts-queries";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck, _ => new LocalPostgresReadyCheck(server.AdminConnectionString), failureStatus: null, tags: null));
        var initialization = new LocalServerInitialization(folder);
        builder.Eventing.Subscribe<BeforeStartEvent>((start, cancellationToken) =>
        {
            // Not awaited: initdb runs while DCP starts.
            _ = initialization.StartAsync(cancellationToken);
            return Task.CompletedTask;
        });
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, (_, cancellationToken) => initialization.StartAsync(cancellationToken));
        builder.Services.AddHostedService(services => new LocalServerFolderRemover(folder, services.GetRequiredService<IHostApplicationLifetime>()));
        return builder.AddResource(server)
            .WithArgs([.. arguments])
            .WithEndpoint(port: folder.Port, targetPort: folder.Port, scheme: "tcp", name: LocalPostgresServerResource.EndpointName, isProxied: false)
            .WithHealthCheck(healthCheck)
            .WithIconName("Database")
            .ExcludeFromManifest();
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresServerResource> server, string name)
    {
        var database = new LocalPostgresDatabaseResource(name, server.Resource);
        var builder = server.ApplicationBuilder;
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (ready, cancellationToken) =>
        {
            await using (var connection = new NpgsqlConnection(server.Resource.AdminConnectionString))
            {
                await connection.OpenAsync(cancellationToken);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
            await notifications.PublishUpdateAsync(database, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        });
        return builder.AddResource(database).ExcludeFromManifest();
    }
}
