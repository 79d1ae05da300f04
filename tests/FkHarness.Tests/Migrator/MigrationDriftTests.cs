using FkHarness.Migrator;
using FkHarness.Migrator.Errors;
using FkHarness.Tests.Infrastructure;
using static FkHarness.Tests.Migrator.MigratorDatabases;

namespace FkHarness.Tests.Migrator;

[Collection(PostgresTests.Name)]
public sealed class MigrationDriftTests(PostgresFixture fixture) : IDisposable
{
    private readonly string _folder = CopyMigrations();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task EditingAnAppliedScript_IsDriftThatStatusNamesAndUpRefuses()
    {
        await using var db = await BaselineAsync(fixture);
        var options = new MigratorOptions { MigrationsDirectory = _folder };
        var first = await new UpgradeRunner(options).UpAsync(db.ConnectionString, to: "025");
        Assert.True(first.Succeeded, first.Error?.Message);
        await File.AppendAllTextAsync(Path.Combine(_folder, Up025 + ".up.sql"), "\n-- an edit after the fact\n");

        var status = await new MigrationStatusReader(options).ReadAsync(db.ConnectionString);
        var up = await new UpgradeRunner(options).UpAsync(db.ConnectionString);

        Assert.True(status.HasDrift);
        Assert.Equal([Up025], status.Migrations.Where(m => m.Drifted).Select(m => m.Name));
        Assert.False(up.Succeeded);
        Assert.Equal(MigratorErrorKind.Failed, up.Error!.Kind);
        Assert.Contains(Up025 + ".up.sql", up.Error.Message);
        Assert.Empty(up.Applied);
        Assert.Equal([Up025], await JournalAsync(db));
    }

    [Fact]
    public async Task ChangingOnlyLineEndings_IsNotDrift()
    {
        await using var db = await BaselineAsync(fixture);
        var options = new MigratorOptions { MigrationsDirectory = _folder };
        await new UpgradeRunner(options).UpAsync(db.ConnectionString, to: "025");
        var path = Path.Combine(_folder, Up025 + ".up.sql");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("\n", "\r\n", StringComparison.Ordinal));

        var status = await new MigrationStatusReader(options).ReadAsync(db.ConnectionString);

        Assert.False(status.HasDrift);
    }
}
