using FkHarness.Catalog;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>The SQL implements exactly what FK_AUDIT_REPORT.json says: no more, no less.</summary>
[Collection(PostgresTests.Name)]
public sealed class CatalogConformanceTests(PostgresFixture fixture)
{
    private static readonly ForeignKeyCatalog Catalog = ForeignKeyCatalog.LoadEmbedded();

    [Fact]
    public async Task Audit_ReportsEveryFinding_WithTheCatalogsTableColumnAndKind()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);

        var rows = await ReadAuditCountsAsync(database);

        var expected = Catalog.Findings.Select(f => $"{f.Id} {f.SourceTable}.{f.SourceColumn} {ToSnake(f.Kind)}");
        Assert.Equal(expected, rows);
    }

    [Fact]
    public async Task Up025_PlansExactlyTheCatalogsTextForeignKeys()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await FixMigrations.UpAsync(database, to: "025");

        var plan = await ReadAsync(database, "SELECT table_name || '.' || column_name || ' ' || constraint_name || ' ' || index_name || ' ' || cleanup FROM fk_fix.text_fk_plan ORDER BY 1");
        var constraints = await ReadAsync(database, "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN (SELECT table_name FROM fk_fix.text_fk_plan) AND confrelid = 'users'::regclass ORDER BY 1");

        Assert.Equal(Catalog.TextForeignKeys.Select(f => $"{f.SourceTable}.{f.SourceColumn} {f.ConstraintName} {f.IndexName} {f.Cleanup}").Order(StringComparer.Ordinal), plan);
        Assert.Equal(Catalog.TextForeignKeys.Select(f => f.ConstraintName!).Order(StringComparer.Ordinal), constraints);
    }

    [Fact]
    public async Task Up026_PutsTheCatalogsTriggersAndIndexesOnEveryArrayColumn()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await FixMigrations.UpAsync(database);

        foreach (var finding in Catalog.ArrayForeignKeys)
        {
            var triggers = await ReadAsync(database, $"SELECT tgname FROM pg_trigger WHERE tgrelid = '{finding.SourceTable}'::regclass AND tgname LIKE 'trg_check_%' ORDER BY 1");
            Assert.Equal(finding.Triggers.Order(StringComparer.Ordinal), triggers);
            var index = await database.ScalarAsync<string>($"SELECT pg_get_indexdef('{finding.IndexName}'::regclass)");
            Assert.Contains($"USING gin ({finding.SourceColumn})", index);
        }

        var guards = await ReadAsync(database, "SELECT tgname FROM pg_trigger WHERE tgrelid IN ('users'::regclass, 'alert_conditions'::regclass) AND tgname LIKE 'trg_check_%' ORDER BY 1");
        Assert.Equal(6, guards.Count);  // delete, re-key and truncate, on users and on alert_conditions
    }

    [Fact]
    public async Task ExternalIds_GetNoConstraintTriggerOrIndex()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await FixMigrations.UpAsync(database);

        foreach (var finding in Catalog.ExternalIds)
        {
            var touching = await database.ScalarAsync<long>($"""
                SELECT (SELECT count(*) FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                        WHERE c.conrelid = '{finding.SourceTable}'::regclass AND c.contype = 'f' AND a.attname = '{finding.SourceColumn}')
                     + (SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                        WHERE i.indrelid = '{finding.SourceTable}'::regclass AND a.attname = '{finding.SourceColumn}')
                """);
            Assert.Equal(0L, touching);
        }
    }

    private static string ToSnake(ForeignKeyKind kind) => kind switch
    {
        ForeignKeyKind.TextFkRequired => "text_fk_required",
        ForeignKeyKind.TextFkNullable => "text_fk_nullable",
        ForeignKeyKind.ArrayFk => "array_fk",
        _ => "external_id",
    };

    private static async Task<List<string>> ReadAuditCountsAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(MigrationFiles.Audit), connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        do
        {
            if (Enumerable.Range(0, reader.FieldCount).Any(i => reader.GetName(i) == "orphan_count"))
            {
                while (await reader.ReadAsync())
                {
                    rows.Add($"{reader["finding_id"]} {reader["source_table"]}.{reader["source_column"]} {reader["kind"]}");
                }
            }
        }
        while (await reader.NextResultAsync());
        return rows;
    }

    private static Task<List<string>> ReadAsync(TestDatabase database, string sql) => database.ColumnAsync(sql);
}
