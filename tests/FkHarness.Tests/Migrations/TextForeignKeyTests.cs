using FkHarness.Catalog;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>025: the nine TEXT foreign keys, their indexes, and what happens to old orphans.</summary>
[Collection(PostgresTests.Name)]
public sealed class TextForeignKeyTests(PostgresFixture fixture)
{
    private static readonly ForeignKeyCatalog Catalog = ForeignKeyCatalog.LoadEmbedded();

    [Fact]
    public async Task Up_AddsEveryCatalogForeignKey_Validated_WithItsPartialIndex()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);

        await FixMigrations.UpAsync(database, to: "025");

        foreach (var finding in Catalog.TextForeignKeys)
        {
            var definition = await database.ScalarAsync<string>($"""
                SELECT pg_get_constraintdef(oid) || ' validated=' || convalidated
                FROM pg_constraint WHERE conname = '{finding.ConstraintName}' AND conrelid = '{finding.SourceTable}'::regclass
                """);
            Assert.Equal($"FOREIGN KEY ({finding.SourceColumn}) REFERENCES users(user_id) validated=true", definition);

            var index = await database.ScalarAsync<string>(
                $"SELECT pg_get_indexdef('{finding.IndexName}'::regclass) || ' valid=' || indisvalid FROM pg_index WHERE indexrelid = '{finding.IndexName}'::regclass");
            Assert.Equal($"CREATE INDEX {finding.IndexName} ON public.{finding.SourceTable} USING btree ({finding.SourceColumn}) WHERE ({finding.SourceColumn} IS NOT NULL) valid=true", index);
        }
    }

    [Fact]
    public async Task Up_ThenAnOrphanInsert_IsRejectedWith23503()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        await FixMigrations.UpAsync(database, to: "025");

        foreach (var finding in Catalog.TextForeignKeys)
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(
                $"UPDATE {finding.SourceTable} SET {finding.SourceColumn} = 'usr_nobody' WHERE id = (SELECT min(id) FROM {finding.SourceTable})"));
            Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
            Assert.Equal(finding.ConstraintName, error.ConstraintName);
        }
    }

    [Fact]
    public async Task Up_DeletesRequiredOrphans_NullsNullableOnes_AndLeavesValidRowsAndNulls()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        var planted = await TextOrphanPlanter.PlantAsync(database);

        await FixMigrations.UpAsync(database, to: "025");

        foreach (var row in planted)
        {
            var (table, column) = (row.Finding.SourceTable, row.Finding.SourceColumn);
            var state = await database.ScalarAsync<string>(
                $"SELECT coalesce((SELECT coalesce('=' || {column}, 'NULL') FROM {table} WHERE id = {row.Id}), 'gone')");
            var expected = row.ExpectedAction switch
            {
                "delete" => "gone",
                "set_null" => "NULL",
                _ => row.Value is null ? "NULL" : "=" + row.Value,
            };
            Assert.True(expected == state, $"{table}.{column} row {row.Id} ('{row.Value}'): expected {expected}, found {state}");
        }
    }

    [Fact]
    public async Task Up_QuarantinesExactlyTheOrphans_WithActionAndReason()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        var planted = await TextOrphanPlanter.PlantAsync(database);

        await FixMigrations.UpAsync(database, to: "025");

        var expected = planted.Where(r => r.ExpectedAction != "leave")
            .Select(r => $"{r.Finding.SourceTable}.{r.Finding.SourceColumn}#{r.Id} {r.ExpectedAction} {r.ReasonCode} '{r.Value}'")
            .Order(StringComparer.Ordinal).ToList();
        var quarantined = await QuarantineAsync(database);
        Assert.Equal(expected, quarantined);
    }

    [Fact]
    public async Task Up_QuarantineKeepsTheWholeDeletedRow()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        var planted = await TextOrphanPlanter.PlantAsync(database);
        var deleted = planted.First(r => r.ExpectedAction == "delete");
        var table = deleted.Finding.SourceTable;
        var columns = await database.ColumnAsync($"SELECT attname::text FROM pg_attribute WHERE attrelid = '{table}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
        var before = new List<string>();
        foreach (var column in columns)
        {
            before.Add($"{column}={await database.ScalarAsync<string>($"SELECT coalesce(t.{column}::text, '<null>') FROM {table} AS t WHERE id = {deleted.Id}")}");
        }

        await FixMigrations.UpAsync(database, to: "025");

        // Each column's text form, keyed by name: what 025 down feeds back to the type's input function.
        var kept = await database.ColumnAsync(
            $"SELECT e.key || '=' || coalesce(e.value, '<null>') FROM fk_fix.quarantine AS q, jsonb_each_text(q.row_data) AS e WHERE q.table_name = '{table}' AND q.row_id = {deleted.Id}");
        Assert.Equal(before.Order(StringComparer.Ordinal), kept.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Up_WhenUsersHoldANullUserId_StillFindsEveryOrphan()
    {
        // The NOT IN trap: `x NOT IN (SELECT user_id FROM users)` is never true once a user_id is NULL.
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        var planted = await TextOrphanPlanter.PlantAsync(database);
        await database.ExecuteAsync("INSERT INTO users (id, user_id, email, display_name) VALUES (3, NULL, 'ghost@example.com', 'Ghost')");

        await FixMigrations.UpAsync(database, to: "025");

        Assert.Equal(planted.Count(r => r.ExpectedAction != "leave"), await database.ScalarAsync<long>("SELECT count(*) FROM fk_fix.quarantine"));
    }

    [Fact]
    public async Task Up_WhenUserIdIsNotUnique_FailsBeforeChangingAnything()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        await database.ExecuteAsync("ALTER TABLE users DROP CONSTRAINT users_user_id_key");
        await database.ExecuteAsync("INSERT INTO users (id, user_id, email, display_name) VALUES (3, 'usr_alice', 'alice2@example.com', 'Alice Again')");
        var before = await TableChecksums.TakeAsync(database.ConnectionString);

        var result = await Psql.RunFileAsync(database.ConnectionString, MigrationFiles.Up025);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("users.user_id is not unique", result.StandardError);
        Assert.Equal(before, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'fk_fix'"));
    }

    [Fact]
    public async Task Up_RunTwice_ChangesNothingTheSecondTime()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        await FixMigrations.UpAsync(database);
        var data = await TableChecksums.TakeAsync(database.ConnectionString);
        var quarantine = await QuarantineAsync(database);

        await FixMigrations.UpAsync(database);

        Assert.Equal(data, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal(quarantine, await QuarantineAsync(database));
    }

    internal static async Task<List<string>> QuarantineAsync(TestDatabase database)
    {
        var rows = await database.ColumnAsync(
            "SELECT table_name || '.' || column_name || '#' || row_id || ' ' || action || ' ' || reason_code || ' ''' || coalesce(old_value, '<null>') || '''' FROM fk_fix.quarantine");
        return rows.Order(StringComparer.Ordinal).ToList();
    }
}
