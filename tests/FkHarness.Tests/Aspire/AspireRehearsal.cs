using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FkHarness.Tests.AppHost;
using FkHarness.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FkHarness.Tests.Aspire;

/// <summary>
/// The whole app through Aspire.Hosting.Testing: the AppHost's own graph (postgres → fkdb → one
/// resource per rehearsal step) started by DCP, each step awaited in turn with a timeout, then the
/// database itself read through fkdb's connection string.
/// </summary>
internal static class AspireRehearsal
{
    /// <summary>The step resources of a seeded rehearsal with --rollback, in the order they run.</summary>
    public static readonly string[] StepsWithRollback =
        ["baseline", "seed", "audit", "backup", "snapshot", "migrate-025", "migrate-026", "verify", "rollback-026", "rollback-025", "rollback-proof", "report"];

    private static readonly string[] Ended = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart];

    /// <summary>
    /// Runs a rehearsal at a small scale and waits for its steps in order, until the last of
    /// <paramref name="steps"/> or the first that ends with a non-zero exit code;
    /// <paramref name="inspect"/> sees fkdb and the app while it is still up.
    /// </summary>
    /// <returns>Each step awaited, with its exit code (-1 when it failed to start).</returns>
    public static async Task<IReadOnlyList<(string Step, int ExitCode)>> RunAsync(
        string[] arguments, string artifacts, IReadOnlyList<string> steps, Func<string, DistributedApplication, Task> inspect, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FkHarness_AppHost>(
            [.. arguments, "--scale", "0.05", "--artifacts", artifacts], limit.Token);
        var ended = new List<(string Step, int ExitCode)>();
        await using (var app = await builder.BuildAsync(limit.Token))
        {
            await app.StartAsync(limit.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", limit.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("fkdb", limit.Token);
            foreach (var step in steps)
            {
                var snapshot = (await app.ResourceNotifications.WaitForResourceAsync(step, e => Ended.Contains(e.Snapshot.State?.Text), limit.Token)).Snapshot;
                ended.Add((step, snapshot.State?.Text == KnownResourceStates.FailedToStart ? -1 : snapshot.ExitCode ?? -1));
                if (ended[^1].ExitCode != 0)
                {
                    break;
                }
            }

            var connectionString = await app.GetConnectionStringAsync("fkdb", limit.Token)
                ?? throw new InvalidOperationException("fkdb has no connection string");
            await inspect(connectionString, app);
        }

        return ended;
    }

    /// <summary>A resource's state as it stands now.</summary>
    public static async Task<CustomResourceSnapshot> CurrentAsync(DistributedApplication app, string resource)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return (await app.ResourceNotifications.WaitForResourceAsync(resource, _ => true, limit.Token)).Snapshot;
    }

    /// <summary>The catalog's FKs (pg_constraint) and array triggers present in the database.</summary>
    public static async Task<(List<string> ForeignKeys, List<string> Triggers)> FixObjectsAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        var foreignKeys = await SqlColumn.ReadAsync(builder.ConnectionString,
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1");
        var triggers = await SqlColumn.ReadAsync(builder.ConnectionString,
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'trg_check_%' ORDER BY 1");
        return (foreignKeys, triggers);
    }

    /// <summary>Runs one of fkdb's dashboard commands, as a click would, and fails the test when it fails.</summary>
    public static async Task CommandAsync(DistributedApplication app, string command)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("fkdb", command, limit.Token);
        Assert.True(result.Success, $"fkdb command {command} failed: {result.Message}");
    }

    public static string Describe(string artifacts) =>
        File.Exists(Path.Combine(artifacts, "rehearsal.log")) ? File.ReadAllText(Path.Combine(artifacts, "rehearsal.log")) : "(no rehearsal.log)";

    public static System.Text.Json.Nodes.JsonObject Report(string artifacts) => AppHostRun.ReadReport(artifacts);
}
