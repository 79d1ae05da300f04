using FkHarness.Catalog;
using FkHarness.Tests.AppHost;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Aspire;

/// <summary>
/// A whole rehearsal with rollback through the AppHost's Aspire graph, on each kind of PostgreSQL
/// resource: every step resource ends with exit code 0, in order; the rollback proof in the report,
/// and in the database itself the fix gone after the rollback (orphans back, no FK, no trigger) and
/// present again, FKs validated and triggers refusing an unknown id, after fkdb's "re-apply"
/// command; then its "roll back 026" and "re-run the audit" commands, as the dashboard runs them,
/// each recorded in the rewritten report.
/// A broken 025 stops the graph at migrate-025: the steps after it never start, and the report
/// (written by the failing step itself) names the stage.
/// </summary>
[Collection(AppHostTests.Name)]
public sealed class AspireRehearsalTests(ITestOutputHelper output)
{
    private static readonly ForeignKeyCatalog Catalog = ForeignKeyCatalog.LoadEmbedded();

    [Fact]
    public Task Local_RehearsalWithRollback_ThroughDcp() => RehearseAsync(["--postgres", "local"]);

    [Fact]
    public async Task Container_RehearsalWithRollback_ThroughDcp()
    {
        await ContainerImage.EnsureBuiltAsync();
        await RehearseAsync(["--postgres", "container", "--postgres-image", ContainerImage.Name]);
    }

    [Fact]
    public async Task Local_ABrokenMigration_StopsTheGraphAtItsStep()
    {
        var migrations = Directory.CreateTempSubdirectory("fkh-aspire-broken-").FullName;
        var artifacts = Directory.CreateTempSubdirectory("fkh-aspire-failed-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "migrations"), "*.sql"))
            {
                File.Copy(file, Path.Combine(migrations, Path.GetFileName(file)));
            }

            await File.WriteAllTextAsync(Path.Combine(migrations, "025_add_missing_text_fk_constraints.up.sql"), "SELECT * FROM no_such_table;\n");
            string[] later = ["migrate-026", "verify", "rollback-026", "rollback-025", "rollback-proof", "report"];
            var notStarted = new List<string>();
            var steps = await AspireRehearsal.RunAsync(["--postgres", "local", "--rollback", "--migrations", migrations], artifacts, AspireRehearsal.StepsWithRollback, async (connectionString, app) =>
            {
                foreach (var step in later)
                {
                    var snapshot = await AspireRehearsal.CurrentAsync(app, step);
                    if (snapshot.StartTimeStamp is null && snapshot.ExitCode is null)
                    {
                        notStarted.Add(step);
                    }
                }

                // The failing step tore down and reported; fkdb itself is left to the AppHost, as after a success.
                Assert.Empty((await AspireRehearsal.FixObjectsAsync(connectionString)).Triggers);
            }, TimeSpan.FromMinutes(4));

            output.WriteLine(AspireRehearsal.Describe(artifacts));
            Assert.Equal(["baseline", "seed", "audit", "backup", "snapshot", "migrate-025"], steps.Select(s => s.Step));
            Assert.Equal(1, steps[^1].ExitCode);
            Assert.Equal(later, notStarted);
            var report = AspireRehearsal.Report(artifacts)["rehearsal"]!;
            Assert.Equal("migrate 025", report["failed_stage"]!.GetValue<string>());
            Assert.Contains("no_such_table", report["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(migrations, recursive: true);
            Directory.Delete(artifacts, recursive: true);
        }
    }

    private async Task RehearseAsync(string[] postgres)
    {
        string? serverFolder = null;
        var artifacts = Directory.CreateTempSubdirectory("fkh-aspire-").FullName;
        var steps = await AspireRehearsal.RunAsync([.. postgres, "--rollback"], artifacts, AspireRehearsal.StepsWithRollback, async (connectionString, app) =>
        {
            serverFolder = new NpgsqlConnectionStringBuilder(connectionString).Passfile is { } passfile ? Path.GetDirectoryName(passfile) : null;
            var (foreignKeys, triggers) = await AspireRehearsal.FixObjectsAsync(connectionString);
            Assert.Empty(foreignKeys.Intersect(Catalog.TextForeignKeys.Select(f => f.ConstraintName!)));
            Assert.Empty(triggers);
            var orphans = await SqlColumn.ReadAsync(connectionString,
                "SELECT count(*)::text FROM dashboard_widgets w WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = w.user_id)");
            Assert.NotEqual("0", orphans.Single());

            await AspireRehearsal.CommandAsync(app, "reapply");
            var validated = await SqlColumn.ReadAsync(connectionString,
                "SELECT conname FROM pg_constraint WHERE contype = 'f' AND convalidated ORDER BY 1");
            Assert.Superset(Catalog.TextForeignKeys.Select(f => f.ConstraintName!).ToHashSet(), validated.ToHashSet());
            Assert.Superset(Catalog.ArrayForeignKeys.SelectMany(f => f.Triggers).ToHashSet(), (await AspireRehearsal.FixObjectsAsync(connectionString)).Triggers.ToHashSet());
            var refused = await Assert.ThrowsAsync<PostgresException>(() =>
                SqlColumn.ReadAsync(connectionString, "UPDATE approval_rules SET allowed_approvers = ARRAY[-42]::bigint[] WHERE id = (SELECT min(id) FROM approval_rules) RETURNING id::text"));
            Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);

            await AspireRehearsal.CommandAsync(app, "rollback-026");
            Assert.Empty((await AspireRehearsal.FixObjectsAsync(connectionString)).Triggers);
            await AspireRehearsal.CommandAsync(app, "audit");
            var commands = AspireRehearsal.Report(artifacts)["after_rehearsal"]!["commands"]!.AsArray();
            Assert.Equal(["reapply", "rollback-026", "audit"], commands.Select(c => c!["name"]!.GetValue<string>()));
            Assert.All(commands, c => Assert.Equal("succeeded", c!["status"]!.GetValue<string>()));
        }, TimeSpan.FromMinutes(6));
        try
        {
            Assert.True(steps.Select(s => s.Step).SequenceEqual(AspireRehearsal.StepsWithRollback) && steps.All(s => s.ExitCode == 0),
                $"steps {string.Join(", ", steps.Select(s => $"{s.Step}={s.ExitCode}"))}\n{AspireRehearsal.Describe(artifacts)}");
            var rollback = AspireRehearsal.Report(artifacts)["rollback"]!;
            Assert.True(rollback["schema_equal"]!.GetValue<bool>(), rollback.ToJsonString());
            Assert.True(rollback["data_equal"]!.GetValue<bool>(), rollback.ToJsonString());
            if (serverFolder is not null)
            {
                Assert.False(Directory.Exists(serverFolder), $"{serverFolder} is left after the app stopped");
            }
        }
        finally
        {
            output.WriteLine(AspireRehearsal.Describe(artifacts));
            Directory.Delete(artifacts, recursive: true);
        }
    }
}
