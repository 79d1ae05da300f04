using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FkHarness.Tests.AppHost;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Aspire;

/// <summary>
/// The whole app through Aspire.Hosting.Testing: the AppHost's own graph (postgres → fkdb →
/// rehearsal) started by DCP, each resource awaited with a timeout, then the database itself read
/// through fkdb's connection string.
/// </summary>
internal static class AspireRehearsal
{
    private static readonly string[] Ended = [KnownResourceStates.Finished, KnownResourceStates.Exited, KnownResourceStates.FailedToStart];

    /// <summary>Runs a rehearsal with rollback at a small scale; <paramref name="inspect"/> sees fkdb while the app is still up.</summary>
    public static async Task<(int ExitCode, string Artifacts)> RunAsync(string[] postgres, Func<string, Task> inspect, TimeSpan timeout)
    {
        var artifacts = Directory.CreateTempSubdirectory("fkh-aspire-").FullName;
        using var limit = new CancellationTokenSource(timeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FkHarness_AppHost>(
            [.. postgres, "--scale", "0.05", "--rollback", "--artifacts", artifacts], limit.Token);
        int exitCode;
        await using (var app = await builder.BuildAsync(limit.Token))
        {
            await app.StartAsync(limit.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", limit.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("fkdb", limit.Token);
            var ended = await app.ResourceNotifications.WaitForResourceAsync("rehearsal", e => Ended.Contains(e.Snapshot.State?.Text), limit.Token);
            exitCode = ended.Snapshot.ExitCode ?? -1;
            var connectionString = await app.GetConnectionStringAsync("fkdb", limit.Token)
                ?? throw new InvalidOperationException("fkdb has no connection string");
            await inspect(connectionString);
        }

        return (exitCode, artifacts);
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

    public static string Describe(string artifacts) =>
        File.Exists(Path.Combine(artifacts, "rehearsal.log")) ? File.ReadAllText(Path.Combine(artifacts, "rehearsal.log")) : "(no rehearsal.log)";

    public static System.Text.Json.Nodes.JsonObject Report(string artifacts) => AppHostRun.ReadReport(artifacts);
}
