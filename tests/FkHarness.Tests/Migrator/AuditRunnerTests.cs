using FkHarness.Catalog;
using FkHarness.Migrator.Audit;
using FkHarness.Tests.Infrastructure;
using static FkHarness.Tests.Migrator.MigratorDatabases;

namespace FkHarness.Tests.Migrator;

[Collection(PostgresTests.Name)]
public sealed class AuditRunnerTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Audit_ReadsEveryResultSetOf024()
    {
        await using var db = await BaselineAsync(fixture);
        await db.ExecuteAsync("""
            INSERT INTO users (user_id, email, display_name) VALUES ('usr_1', 'a@example.com', 'A');
            INSERT INTO dashboard_widgets (user_id, widget_type, title) VALUES ('usr_1', 'chart', 'ok'), ('usr_gone', 'chart', 'orphan'), ('', 'chart', 'empty');
            CREATE TABLE public.probe_parent (id int PRIMARY KEY);
            CREATE TABLE public.probe_child (parent_id int REFERENCES public.probe_parent (id));
            """);

        var audit = await new AuditRunner().RunAsync(db.ConnectionString);

        Assert.True(audit.Succeeded, audit.Error?.Message);
        var catalog = ForeignKeyCatalog.LoadEmbedded();
        Assert.Equal(catalog.Findings.Select(f => f.Id), audit.Relationships.Select(r => r.FindingId));
        var widgets = audit.Relationships.Single(r => r.SourceTable == "dashboard_widgets");
        Assert.Equal((3L, 2L, 1L), (widgets.TotalRows, widgets.OrphanCount, widgets.EmptyStringCount));
        Assert.Contains(audit.Constraints, c => c.ConstraintName == "probe_child_parent_id_fkey" && c.Validated);
        Assert.Equal(15, audit.IndexCoverage.Count);
        Assert.DoesNotContain("Password", audit.Database!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AuditReport_KeepsTheCatalogShapeWithMeasuredCountsAdded()
    {
        await using var db = await BaselineAsync(fixture);
        await db.ExecuteAsync("INSERT INTO error_logs (user_id, severity, message) VALUES ('usr_gone', 'error', 'boom')");
        var audit = await new AuditRunner().RunAsync(db.ConnectionString);
        var path = Path.Combine(Path.GetTempPath(), $"migrator-audit-test-{Guid.NewGuid():N}.json");
        try
        {
            await AuditReportWriter.WriteAsync(audit, ForeignKeyCatalog.LoadEmbedded(), path);

            Assert.Equal(15, ForeignKeyCatalog.LoadFile(path).Findings.Count);
            var report = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(path))!;
            var errorLogs = report["findings"]!.AsArray().Single(f => (string?)f!["source_table"] == "error_logs" && (string?)f["source_column"] == "user_id")!;
            Assert.Equal(1L, (long)errorLogs["audit"]!["orphan_count"]!);
            Assert.Equal(1L, (long)report["total_orphans"]!);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
