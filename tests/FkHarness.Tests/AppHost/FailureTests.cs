using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>A rehearsal that fails part-way: the failed stage is named, the report is written, everything is removed.</summary>
[Collection(AppHostTests.Name)]
public sealed class FailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BrokenMigration_StopsAtItsStage_ExitsOne_AndStillWritesTheReport()
    {
        // The application's folder, with a 026 that cannot run.
        var migrations = Directory.CreateTempSubdirectory("fkh-apphost-broken-").FullName;
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-failed-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "migrations"), "*.sql"))
            {
                File.Copy(file, Path.Combine(migrations, Path.GetFileName(file)));
            }

            await File.WriteAllTextAsync(Path.Combine(migrations, "026_add_array_fk_validation.up.sql"), "SELECT * FROM no_such_table;\n");

            using var run = await AppHostProcess.RunAsync(["--scale", "0.05", "--migrations", migrations, "--artifacts", artifacts]);
            output.WriteLine(run.Describe());

            Assert.True(run.ExitCode == 1, run.Describe());
            Assert.Contains("stage migrate 025: succeeded", run.Output);
            Assert.Contains("stage migrate 026: failed", run.Output);
            Assert.Contains("no_such_table", run.Output);
            Assert.DoesNotContain("stage verify", run.Output);
            Assert.Contains("stage teardown: succeeded", run.Output);
            Assert.Contains("Rehearsal failed at stage 'migrate 026'", run.Output);
            Assert.Empty(run.LeftoverClusterFolders);

            var report = AppHostRun.ReadReport(artifacts);
            Assert.Equal("migrate 026", report["rehearsal"]!["failed_stage"]!.GetValue<string>());
            Assert.False(report["rehearsal"]!["succeeded"]!.GetValue<bool>());
            Assert.NotNull(report["findings"]![0]!["audit"]);
            Assert.Contains("migrate 026", await File.ReadAllTextAsync(Path.Combine(artifacts, "report.html")));
            Assert.Single(Directory.GetFiles(artifacts, "backup_before_fk_fix_*.dump"));
        }
        finally
        {
            Directory.Delete(migrations, recursive: true);
            Directory.Delete(artifacts, recursive: true);
        }
    }

    [Fact]
    public async Task FailedChecks_StillRehearseTheRollback_AndSayWhatWasExpected()
    {
        // The application's folder, whose 025 builds one index without its WHERE col IS NOT NULL.
        var migrations = Directory.CreateTempSubdirectory("fkh-apphost-unpartial-").FullName;
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-verify-failed-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "migrations"), "*.sql"))
            {
                File.Copy(file, Path.Combine(migrations, Path.GetFileName(file)));
            }

            var up025 = Path.Combine(migrations, "025_add_missing_text_fk_constraints.up.sql");
            var sql = await File.ReadAllTextAsync(up025);
            const string Partial = "ON error_logs (user_id) WHERE user_id IS NOT NULL;";
            Assert.Contains(Partial, sql, StringComparison.Ordinal);
            await File.WriteAllTextAsync(up025, sql.Replace(Partial, "ON error_logs (user_id);", StringComparison.Ordinal));

            using var run = await AppHostProcess.RunAsync(["--scale", "0.05", "--migrations", migrations, "--artifacts", artifacts, "--rollback"]);
            output.WriteLine(run.Describe());

            Assert.True(run.ExitCode == 1, run.Describe());
            Assert.Contains("stage verify: failed", run.Output);
            Assert.Contains("idx_error_logs_user_id valid on error_logs.user_id: found CREATE INDEX idx_error_logs_user_id ON public.error_logs USING btree (user_id); expected a valid index idx_error_logs_user_id ON error_logs (user_id) WHERE user_id IS NOT NULL", run.Output);
            Assert.Contains("stage rollback 026: succeeded", run.Output);
            Assert.Contains("stage rollback 025: succeeded", run.Output);
            Assert.Contains("stage prove rollback: succeeded", run.Output);
            Assert.Contains("Rehearsal failed at stage 'verify'", run.Output);

            var report = AppHostRun.ReadReport(artifacts);
            Assert.Equal("verify", report["rehearsal"]!["failed_stage"]!.GetValue<string>());
            Assert.True(report["rollback"]!["holds"]!.GetValue<bool>());
            var check = report["verification"]!["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "idx_error_logs_user_id valid on error_logs.user_id")!;
            Assert.Equal("failed", check["outcome"]!.GetValue<string>());
            Assert.Contains("WHERE user_id IS NOT NULL", check["expected"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(migrations, recursive: true);
            Directory.Delete(artifacts, recursive: true);
        }
    }
}
