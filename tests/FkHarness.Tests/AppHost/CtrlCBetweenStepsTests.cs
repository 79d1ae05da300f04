using FkHarness.Rehearsal.Resources;
using FkHarness.Rehearsal.State;
using FkHarness.Rehearsal.Traffic;
using FkHarness.Provisioning;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>
/// Ctrl+C when no step is running: the last migrate step has ended, verify waits for the traffic
/// to end, and the traffic's removal of its rows waits for a row lock this test holds. No step is
/// there to tear down or write the report, so the AppHost runs the report step itself: the report
/// says the rehearsal was cancelled after migrate-026, and the rehearsal's database is dropped.
/// </summary>
[Collection(AppHostTests.Name)]
public sealed class CtrlCBetweenStepsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task CtrlC_WhenNoStepRuns_TheAppHostTearsDown_AndReportsTheStepItStoppedAfter()
    {
        var cluster = await SharedCluster.GetAsync();
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-between-").FullName;
        string? database = null;
        try
        {
            var interrupted = false;
            using var run = await AppHostProcess.RunAsync(
                ["--scale", "0.1", "--traffic", "--artifacts", artifacts],
                new Dictionary<string, string?> { ["ConnectionStrings__fkdb"] = cluster.ConnectionString() },
                whileRunning: async (pid, _) =>
                {
                    if (!await WaitForAsync(() => Task.FromResult(File.Exists(Path.Combine(artifacts, "state", "traffic.ready")))))
                    {
                        return;
                    }

                    database = RehearsalDatabaseName.For((await new RehearsalStateFile(artifacts).LoadAsync(CancellationToken.None))!.RunId);
                    await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString(database)) { Pooling = false }.ConnectionString);
                    await holder.OpenAsync();
                    await using var transaction = await holder.BeginTransactionAsync();
                    // FOR KEY SHARE on one of the writers' rows: their updates (no key change) and the
                    // migrations pass it; only their final DELETE of their rows waits for it.
                    if (!await WaitForAsync(async () => await LockOneTrafficRowAsync(holder, transaction)))
                    {
                        return;
                    }

                    // The last migrate step gone and the writers' removal waiting on the lock: verify has not started, nothing runs.
                    if (await WaitForAsync(async () => MigrateStepProcesses(artifacts) == 0 && await RemovalWaitsAsync(cluster, database)))
                    {
                        await AppHostProcess.InterruptAsync(pid);
                        interrupted = true;
                    }

                    // Held until the AppHost has gone (teardown ends this session when it drops the database).
                    await WaitForAsync(() => Task.FromResult(!Directory.Exists($"/proc/{pid}")));
                });
            output.WriteLine(run.Describe());

            Assert.True(interrupted, "the writers' removal of their rows never waited on the lock with no migrate step left");
            Assert.True(run.ExitCode == 130, run.Describe());
            Assert.Contains("stopped between two steps", run.Error);
            Assert.Contains("stage verify: cancelled", run.Output);
            Assert.Contains("stage teardown: succeeded", run.Output);
            Assert.Empty(await SqlColumn.ReadAsync(cluster.ConnectionString(), $"SELECT datname FROM pg_database WHERE datname = '{database}'"));
            Assert.Equal(0, MigrateStepProcesses(artifacts) + Processes(artifacts, "--step "));

            var report = AppHostRun.ReadReport(artifacts)["rehearsal"]!;
            Assert.True(report["cancelled"]!.GetValue<bool>());
            Assert.Equal("verify", report["failed_stage"]!.GetValue<string>());
            Assert.Contains("after step 'migrate-026'", report["error"]!.GetValue<string>());
            Assert.Contains("cancelled", await File.ReadAllTextAsync(Path.Combine(artifacts, "report.html")));
        }
        finally
        {
            if (database is not null)
            {
                // Left behind by an AppHost that did not tear down.
                await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString()) { Pooling = false }.ConnectionString);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }

            Directory.Delete(artifacts, recursive: true);
        }
    }

    private static async Task<bool> LockOneTrafficRowAsync(NpgsqlConnection holder, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand("SELECT id FROM error_logs WHERE message = 'traffic' ORDER BY id LIMIT 1 FOR KEY SHARE", holder, transaction);
        if (await command.ExecuteScalarAsync() is null)
        {
            return false;
        }

        // The SELECT's portal (extended protocol) would keep its snapshot, and so this session's xmin, until the
        // next statement: CREATE INDEX CONCURRENTLY in 025 and 026 would wait for it. SET needs no snapshot.
        await using var release = new NpgsqlCommand("SET LOCAL application_name = 'fkh-test-row-lock'", holder, transaction);
        await release.ExecuteNonQueryAsync();
        return true;
    }

    /// <summary>A writers' session of this database waits for a lock in its removal of their rows.</summary>
    private static async Task<bool> RemovalWaitsAsync(ThrowawayCluster cluster, string database) =>
        (await SqlColumn.ReadAsync(cluster.ConnectionString(), $"""
            SELECT pid::text FROM pg_stat_activity
            WHERE datname = '{database}' AND application_name = '{TrafficOptions.ApplicationName}'
              AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM error_logs%'
            """)).Count > 0;

    private static int MigrateStepProcesses(string runFolder) => Processes(runFolder, "--step migrate-");

    /// <summary>Processes whose command line holds <paramref name="text"/> and this run folder.</summary>
    private static int Processes(string runFolder, string text) =>
        Directory.GetDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Count(c => c.Contains(text, StringComparison.Ordinal) && c.Contains(runFolder, StringComparison.Ordinal));

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
