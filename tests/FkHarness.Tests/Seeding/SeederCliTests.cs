using CliWrap;
using CliWrap.Buffered;
using FkHarness.Seeder.Manifest;
using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Seeding;

/// <summary>The seeder as a program: options, exit codes (0 ok, 1 failure, 2 bad input), no secrets in output.</summary>
[Collection(PostgresTests.Name)]
public sealed class SeederCliTests(PostgresFixture fixture)
{
    private static Task<BufferedCommandResult> RunAsync(string[] arguments, string? environmentConnectionString = null) =>
        Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "FkHarness.Seeder.dll"), .. arguments])
            .WithEnvironmentVariables(env => env
                .Set("ConnectionStrings__fkdb", environmentConnectionString)
                .Set("CI", "true"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    [Theory]
    [InlineData("--scale", "0")]
    [InlineData("--scale", "abc")]
    [InlineData("--orphan-rate", "0.9")]
    [InlineData("--no-such-option", "1")]
    public async Task BadInput_ExitsWith2(string option, string value)
    {
        var result = await RunAsync(["--connection-string", "Host=localhost;Password=s3cr3t-pw", option, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error:", result.StandardError);
    }

    [Fact]
    public async Task NoConnectionString_ExitsWith2_AndSaysWhereToPutOne()
    {
        var result = await RunAsync([]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ConnectionStrings__fkdb", result.StandardError);
    }

    [Fact]
    public async Task SeedsFromTheEnvironmentConnectionString_AndWritesTheManifest_WithPlainProgressLines()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        var manifestPath = Path.Combine(Path.GetTempPath(), $"fkharness-manifest-{Guid.NewGuid():N}.json");
        try
        {
            var result = await RunAsync(["--scale", "0.05", "--seed", "3", "--manifest", manifestPath], database.ConnectionString);

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Contains("Seeded error_logs:", result.StandardOutput);
            Assert.Contains("rows/s", result.StandardOutput);
            var manifest = OrphanManifest.Load(manifestPath);
            Assert.Equal(3, manifest.Seed);
            Assert.Equal(manifest.RowCounts["users"], await database.ScalarAsync<long>("SELECT count(*) FROM users"));
        }
        finally
        {
            File.Delete(manifestPath);
        }
    }

    [Fact]
    public async Task ARefusal_ExitsWith1_WithoutThePassword()
    {
        await using var database = (await SeededTemplate.CreateAsync(fixture)).Database;
        var password = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Password!;

        var result = await RunAsync(["--connection-string", database.ConnectionString, "--scale", "0.05"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("refused:", result.StandardError);
        Assert.DoesNotContain(password, result.StandardError + result.StandardOutput);
    }
}
