using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FkHarness.Catalog;
using FkHarness.Tests.AppHost;
using FkHarness.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FkHarness.Tests.Aspire;

/// <summary>
/// fkdb's dashboard commands after a rehearsal with --keep, clicked as the dashboard clicks them
/// (ResourceCommandService on fkdb): each starts its resource (explicit start: not run before the
/// click), changes the database as it says (026's triggers gone; then the nine FKs gone and every
/// quarantined row back; then both back again), answers with what it did, and rewrites
/// FK_AUDIT_REPORT.json and report.html to show it, the rehearsal's own verdict and stages kept.
/// </summary>
[Collection(AppHostTests.Name)]
public sealed class DatabaseCommandsTests(ITestOutputHelper output)
{
    private static readonly string[] Steps = ["baseline", "seed", "audit", "backup", "migrate-025", "migrate-026", "verify", "report"];
    private static readonly ForeignKeyCatalog Catalog = ForeignKeyCatalog.LoadEmbedded();

    [Fact]
    public async Task Local_Keep_CommandsChangeFkdb_AndRewriteTheReport()
    {
        var artifacts = Directory.CreateTempSubdirectory("fkh-aspire-commands-").FullName;
        var answers = new List<string>();
        try
        {
            var steps = await AspireRehearsal.RunAsync(["--postgres", "local", "--keep"], artifacts, Steps, async (connectionString, app) =>
            {
                var rehearsal = AspireRehearsal.Report(artifacts);
                var quarantined = rehearsal["quarantine_rows"]!.AsArray().Count;
                Assert.True(quarantined > 0);
                var html = await File.ReadAllTextAsync(Path.Combine(artifacts, "report.html"));
                Assert.DoesNotContain("After the rehearsal", html, StringComparison.Ordinal);
                Assert.Null((await AspireRehearsal.CurrentAsync(app, "command-rollback-026")).ExitCode);
                var triggersOf026 = (await AspireRehearsal.FixObjectsAsync(connectionString)).Triggers;
                Assert.NotEmpty(triggersOf026);

                answers.Add(await CommandAsync(app, "rollback-026"));
                var (foreignKeys, triggers) = await AspireRehearsal.FixObjectsAsync(connectionString);
                Assert.Empty(triggers);
                Assert.Superset(TextForeignKeys, foreignKeys.ToHashSet());
                Assert.Contains("rolled back 026", answers[^1], StringComparison.Ordinal);
                var now = NowIn(AspireRehearsal.Report(artifacts));
                Assert.Empty(now["triggers"]!.AsArray());
                Assert.Equal(0, (await AspireRehearsal.CurrentAsync(app, "command-rollback-026")).ExitCode);

                answers.Add(await CommandAsync(app, "rollback-025"));
                Assert.Empty((await AspireRehearsal.FixObjectsAsync(connectionString)).ForeignKeys.Intersect(TextForeignKeys));
                // Every quarantined row and value went back, so 025 down dropped the emptied quarantine.
                Assert.Equal(["true"], await SqlColumn.ReadAsync(connectionString, "SELECT (to_regclass('fk_fix.quarantine') IS NULL)::text"));
                Assert.NotEqual(["0"], await SqlColumn.ReadAsync(connectionString,
                    "SELECT count(*)::text FROM dashboard_widgets w WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = w.user_id)"));
                var restored = Commands(AspireRehearsal.Report(artifacts))[^1];
                Assert.Equal("rollback-025", restored["name"]!.GetValue<string>());
                Assert.Equal(quarantined, restored["rows_restored"]!.GetValue<long>());

                answers.Add(await CommandAsync(app, "reapply"));
                (foreignKeys, triggers) = await AspireRehearsal.FixObjectsAsync(connectionString);
                Assert.Superset(TextForeignKeys, foreignKeys.ToHashSet());
                Assert.Equal(triggersOf026, triggers);
                var report = AspireRehearsal.Report(artifacts);
                Assert.Equal(quarantined, Commands(report)[^1]["rows_quarantined"]!.GetValue<long>());
                Assert.Equal(TextForeignKeys.Order(), NowIn(report)["foreign_keys_validated"]!.AsArray().Select(f => f!.GetValue<string>()).Order());

                answers.Add(await CommandAsync(app, "audit"));
                report = AspireRehearsal.Report(artifacts);
                Assert.Equal(["rollback-026", "rollback-025", "reapply", "audit"], Commands(report).Select(c => c["name"]!.GetValue<string>()));
                Assert.Equal(rehearsal["rehearsal"]!.ToJsonString(), report["rehearsal"]!.ToJsonString());
                Assert.Equal(rehearsal["verification"]!.ToJsonString(), report["verification"]!.ToJsonString());
                html = await File.ReadAllTextAsync(Path.Combine(artifacts, "report.html"));
                Assert.Contains("After the rehearsal", html, StringComparison.Ordinal);
                Assert.Contains("Roll back 025", html, StringComparison.Ordinal);
                Assert.Contains("fkdb now, after “Re-run the audit”", html, StringComparison.Ordinal);
            }, TimeSpan.FromMinutes(6));

            Assert.True(steps.Select(s => s.Step).SequenceEqual(Steps) && steps.All(s => s.ExitCode == 0),
                $"steps {string.Join(", ", steps.Select(s => $"{s.Step}={s.ExitCode}"))}\n{AspireRehearsal.Describe(artifacts)}");
        }
        finally
        {
            output.WriteLine(string.Join('\n', answers));
            output.WriteLine(AspireRehearsal.Describe(artifacts));
            Directory.Delete(artifacts, recursive: true);
        }
    }

    private static HashSet<string> TextForeignKeys => [.. Catalog.TextForeignKeys.Select(f => f.ConstraintName!)];

    /// <summary>Runs one of fkdb's commands as a click would; fails the test when it fails, else returns its answer.</summary>
    private static async Task<string> CommandAsync(DistributedApplication app, string command)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("fkdb", command, limit.Token);
        Assert.True(result.Success, $"fkdb command {command} failed: {result.Message}");
        return result.Message ?? "";
    }

    private static List<JsonObject> Commands(JsonObject report) =>
        [.. report["after_rehearsal"]!["commands"]!.AsArray().Select(c => c!.AsObject())];

    private static JsonObject NowIn(JsonObject report) => report["after_rehearsal"]!["database_now"]!.AsObject();
}
