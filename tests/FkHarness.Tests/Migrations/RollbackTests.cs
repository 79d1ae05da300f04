using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations;

/// <summary>Down undoes up: schema and data, quarantined rows included.</summary>
[Collection(PostgresTests.Name)]
public sealed class RollbackTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Down_RestoresEveryRowAndValue_AndTheSchema()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        var data = await TableChecksums.TakeAsync(database.ConnectionString);
        var schema = await SchemaSnapshot.TakeAsync(database.ConnectionString);

        await FixMigrations.UpAsync(database);
        Assert.NotEqual(data, await TableChecksums.TakeAsync(database.ConnectionString));
        await FixMigrations.DownAsync(database);

        Assert.Equal(data, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal(schema, await SchemaSnapshot.TakeAsync(database.ConnectionString));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'fk_fix'"));
    }

    [Fact]
    public async Task UpDownUp_EndsAsTheFirstUpDid()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        await FixMigrations.UpAsync(database);
        var afterFirstUp = await WithoutVolatileColumnsAsync(database);
        var schemaAfterFirstUp = await SchemaSnapshot.TakeAsync(database.ConnectionString);

        await FixMigrations.DownAsync(database);
        await FixMigrations.UpAsync(database);

        Assert.Equal(afterFirstUp, await WithoutVolatileColumnsAsync(database));
        Assert.Equal(schemaAfterFirstUp, await SchemaSnapshot.TakeAsync(database.ConnectionString));
    }

    [Fact]
    public async Task ThroughPsql_AsThePlanRunsThem_UpAndDownRoundTrip()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await TextOrphanPlanter.PlantAsync(database);
        var data = await TableChecksums.TakeAsync(database.ConnectionString);
        var schema = await SchemaSnapshot.TakeAsync(database.ConnectionString);

        await FixMigrations.RunWithPsqlAsync(database, MigrationFiles.Up025, MigrationFiles.Up026, MigrationFiles.Up025, MigrationFiles.Up026);
        Assert.Equal(9L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE confrelid = 'users'::regclass AND convalidated AND contype = 'f'"));
        await FixMigrations.RunWithPsqlAsync(database, MigrationFiles.Down026, MigrationFiles.Down025, MigrationFiles.Down025);

        Assert.Equal(data, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal(schema, await SchemaSnapshot.TakeAsync(database.ConnectionString));
    }

    [Fact]
    public async Task Down_KeepsAValueTheApplicationChangedSince_AndKeepsItsQuarantineRow()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        var planted = await TextOrphanPlanter.PlantAsync(database);
        var nulled = planted.First(r => r.ExpectedAction == "set_null");
        await FixMigrations.UpAsync(database);
        await database.ExecuteAsync($"UPDATE {nulled.Finding.SourceTable} SET {nulled.Finding.SourceColumn} = 'usr_bob' WHERE id = {nulled.Id}");

        await FixMigrations.DownAsync(database);

        Assert.Equal("usr_bob", await database.ScalarAsync<string>($"SELECT {nulled.Finding.SourceColumn} FROM {nulled.Finding.SourceTable} WHERE id = {nulled.Id}"));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM fk_fix.quarantine WHERE row_id = {nulled.Id} AND table_name = '{nulled.Finding.SourceTable}'"));
    }

    // Data checksums, and the quarantine without its timestamps and surrogate ids.
    private static async Task<string> WithoutVolatileColumnsAsync(TestDatabase database) =>
        string.Join('\n', (await TableChecksums.TakeAsync(database.ConnectionString)).Select(kv => $"{kv.Key}={kv.Value}")) + '\n' +
        string.Join('\n', await TextForeignKeyTests.QuarantineAsync(database));
}
