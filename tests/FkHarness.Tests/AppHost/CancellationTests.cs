using System.Text.RegularExpressions;
using FkHarness.Provisioning;
using FkHarness.Rehearsal.Resources;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>
/// Ctrl+C in the middle of a rehearsal: the stage is cancelled, teardown runs (the database is
/// dropped, the server stops and its folder goes), the report names the stage; the writers stop.
/// </summary>
[Collection(AppHostTests.Name)]
public sealed partial class CancellationTests(ITestOutputHelper output)
{
    // A safety net only: every wait ends as soon as its condition holds; a loaded machine is slow to get there.
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task CtrlC_DuringSeeding_TearsDown_AndReportsTheStage()
    {
        var cluster = await SharedCluster.GetAsync();
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-cancel-").FullName;
        string? database = null;
        try
        {
            var interrupted = false;
            using var run = await AppHostProcess.RunAsync(
                ["--scale", "1", "--artifacts", artifacts],
                new Dictionary<string, string?> { ["ConnectionStrings__fkdb"] = cluster.ConnectionString() },
                timeout: TimeSpan.FromMinutes(10),
                whileRunning: async (pid, printed) =>
                {
                    if (!await AppHostProcess.WaitUntilAsync(() => RunId().IsMatch(printed()), Wait))
                    {
                        return;
                    }

                    database = RehearsalDatabaseName.For(RunId().Match(printed()).Groups[1].Value);
                    // SHARE on sync_events, the table the seeder fills last, as soon as baseline made it: the seeder's
                    // other COPYs pass, its COPY into sync_events waits. The seed stage is then running, and stays so.
                    if (!await AppHostProcess.WaitUntilAsync(() => TableExistsAsync(cluster.ConnectionString(database), "sync_events").GetAwaiter().GetResult(), Wait))
                    {
                        return;
                    }

                    await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString(database)) { Pooling = false }.ConnectionString);
                    await holder.OpenAsync();
                    await using var transaction = await holder.BeginTransactionAsync();
                    await using (var share = new NpgsqlCommand("LOCK TABLE sync_events IN SHARE MODE", holder, transaction))
                    {
                        await share.ExecuteNonQueryAsync();
                    }

                    if (await AppHostProcess.WaitUntilAsync(() => SeedWaitsAsync(cluster, database).GetAwaiter().GetResult(), Wait))
                    {
                        await AppHostProcess.InterruptAsync(pid);
                        interrupted = true;
                    }

                    // Held until the AppHost has gone (teardown ends this session when it drops the database).
                    await AppHostProcess.WaitUntilAsync(() => !Directory.Exists($"/proc/{pid}"), Wait);
                });
            output.WriteLine(run.Describe());

            Assert.True(interrupted, "the seeder's COPY into sync_events never waited on the lock");
            Assert.True(run.ExitCode == 130, run.Describe());
            Assert.Contains("stage seed: cancelled", run.Output);
            Assert.Contains("stage teardown: succeeded", run.Output);
            Assert.Empty(await SqlColumn.ReadAsync(cluster.ConnectionString(), $"SELECT datname FROM pg_database WHERE datname = '{database}'"));

            var report = AppHostRun.ReadReport(artifacts)["rehearsal"]!;
            Assert.True(report["cancelled"]!.GetValue<bool>());
            Assert.Equal("seed", report["failed_stage"]!.GetValue<string>());
        }
        finally
        {
            if (database is not null)
            {
                // Left behind by an AppHost that did not tear down.
                await DropAsync(cluster, database);
            }

            Directory.Delete(artifacts, recursive: true);
        }
    }

    [Fact]
    public async Task CtrlC_WhileTheTrafficWrites_StopsTheWriters_AndLeavesNothing()
    {
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-cancel-traffic-").FullName;
        var ready = Path.Combine(artifacts, "state", "traffic.ready");
        var result = Path.Combine(artifacts, "state", "traffic.json");
        try
        {
            var interrupted = false;
            using var run = await AppHostProcess.RunAsync(["--scale", "0.1", "--traffic", "--artifacts", artifacts], timeout: TimeSpan.FromMinutes(10), whileRunning: async (pid, _) =>
            {
                // The traffic resource is ready once its before-window is over; it writes until told to stop, so Ctrl+C lands while it writes.
                if (await AppHostProcess.WaitUntilAsync(() => File.Exists(ready), Wait))
                {
                    await AppHostProcess.InterruptAsync(pid);
                    interrupted = true;
                }
            });
            output.WriteLine(run.Describe());

            Assert.True(interrupted, "the traffic never became ready");
            Assert.True(run.ExitCode == 130, run.Describe());
            Assert.Empty(run.LeftoverClusterFolders);
            Assert.Empty(run.LeftoverServerProcesses);
            Assert.True(File.Exists(result), "the writers did not write state/traffic.json when stopped");
            Assert.Empty(LeftoverTrafficProcesses(artifacts));
            // Whether it landed in migrate-025 or while migrate-025 still waited for the writers' before-window, a report says so.
            Assert.True(AppHostRun.ReadReport(artifacts)["rehearsal"]!["cancelled"]!.GetValue<bool>());
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    private static async Task<bool> TableExistsAsync(string connectionString, string table)
    {
        try
        {
            return (await SqlColumn.ReadAsync(connectionString, $"SELECT coalesce(to_regclass('public.{table}')::text, '')"))[0].Length > 0;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // The provision stage has not made the database yet.
            return false;
        }
    }

    /// <summary>The seeder's session waits for a lock in its COPY into sync_events.</summary>
    private static async Task<bool> SeedWaitsAsync(ThrowawayCluster cluster, string database) =>
        (await SqlColumn.ReadAsync(cluster.ConnectionString(), $"""
            SELECT pid::text FROM pg_stat_activity
            WHERE datname = '{database}' AND wait_event_type = 'Lock' AND query LIKE 'COPY public.sync_events%'
            """)).Count > 0;

    private static async Task DropAsync(ThrowawayCluster cluster, string database)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString()) { Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"fkharness: rehearsal (\S+) on ")]
    private static partial Regex RunId();

    /// <summary>Processes still running <c>--step traffic</c> for this run folder.</summary>
    private static List<string> LeftoverTrafficProcesses(string runFolder) =>
        [.. Directory.GetDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(c => c.Contains("--step traffic", StringComparison.Ordinal) && c.Contains(runFolder, StringComparison.Ordinal))];
}
