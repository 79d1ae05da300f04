using FkHarness.Migrator.Scripts;

namespace FkHarness.Tests.Migrator;

public sealed class MigrationSetTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("migrator-set-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Write(string name, string sql = "SELECT 1;") => File.WriteAllText(Path.Combine(_directory, name), sql);

    [Fact]
    public void Load_ShippedFolder_HasTheAuditAndTheTwoPairsInOrder()
    {
        var set = MigrationSet.Load();

        Assert.Equal("024_comprehensive_fk_audit", set.Audit?.Name);
        Assert.Equal(["025_add_missing_text_fk_constraints", "026_add_array_fk_validation"], set.Migrations.Select(m => m.Name));
        Assert.NotNull(set.Baseline);
        Assert.Equal(15, set.LoadCatalog().Findings.Count);
    }

    [Fact]
    public void Load_OrdersMigrationsByNumber()
    {
        Write("10_ten.up.sql");
        Write("10_ten.down.sql");
        Write("9_nine.up.sql");
        Write("9_nine.down.sql");

        Assert.Equal(["9_nine", "10_ten"], MigrationSet.Load(_directory).Migrations.Select(m => m.Name));
    }

    [Fact]
    public void Load_UpWithoutDown_IsAClearError()
    {
        Write("025_x.up.sql");

        var error = Assert.Throws<MigrationSetException>(() => MigrationSet.Load(_directory));
        Assert.Contains("025_x.up.sql", error.Message);
        Assert.Contains("025_x.down.sql", error.Message);
    }

    [Fact]
    public void Load_DownWithoutUp_IsAClearError()
    {
        Write("026_y.down.sql");

        var error = Assert.Throws<MigrationSetException>(() => MigrationSet.Load(_directory));
        Assert.Contains("026_y.up.sql", error.Message);
    }

    [Fact]
    public void Load_TwoMigrationsWithOneNumber_IsAClearError()
    {
        Write("025_a.up.sql");
        Write("025_a.down.sql");
        Write("025_b.up.sql");
        Write("025_b.down.sql");

        Assert.Contains("more than one migration numbered 25", Assert.Throws<MigrationSetException>(() => MigrationSet.Load(_directory)).Message);
    }

    [Fact]
    public void Load_MissingFolder_NamesIt()
    {
        var missing = Path.Combine(_directory, "nope");

        var error = Assert.Throws<MigrationSetException>(() => MigrationSet.Load(missing));
        Assert.Contains(missing, error.Message);
        Assert.Contains("--migrations", error.Message);
    }

    [Fact]
    public void Checksum_IgnoresLineEndingsButNotEdits()
    {
        Assert.Equal(MigrationScript.ComputeChecksum("SELECT 1;\nSELECT 2;\n"), MigrationScript.ComputeChecksum("SELECT 1;\r\nSELECT 2;\r\n"));
        Assert.NotEqual(MigrationScript.ComputeChecksum("SELECT 1;\n"), MigrationScript.ComputeChecksum("SELECT 1; \n"));
    }
}
