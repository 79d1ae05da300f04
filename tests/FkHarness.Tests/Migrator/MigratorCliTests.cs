using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrator;

/// <summary>The migrator as a user runs it: a separate process, exit codes, stdout and stderr.</summary>
[Collection(PostgresTests.Name)]
public sealed class MigratorCliTests(PostgresFixture fixture)
{
    private const string Secret = "TopSecret-4242";

    private static async Task<BufferedCommandResult> MigratorAsync(params string[] arguments) =>
        await Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "FkHarness.Migrator.dll"), .. arguments])
            .WithEnvironmentVariables(env => env.Set("ConnectionStrings__fkdb", null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .Task.WaitAsync(TimeSpan.FromMinutes(2));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void AssertNoSecret(BufferedCommandResult result, string secret)
    {
        Assert.DoesNotContain(secret, result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableServer_Exits2WithAClearMessageAndNoPassword()
    {
        var result = await MigratorAsync("status", "--connection-string", $"Host=127.0.0.1;Port={FreePort()};Database=app;Username=app;Password={Secret}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Could not connect to PostgreSQL at 127.0.0.1:", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        AssertNoSecret(result, Secret);
    }

    [Fact]
    public async Task MalformedConnectionString_Exits2WithAClearMessageAndNoPassword()
    {
        var result = await MigratorAsync("up", "--connection-string", $"Hots=127.0.0.1;Password={Secret}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("connection string is not valid", result.StandardError);
        AssertNoSecret(result, Secret);
    }

    [Fact]
    public async Task WrongPassword_Exits2WithAClearMessageAndNoPassword()
    {
        var builder = new NpgsqlConnectionStringBuilder(fixture.AdminConnectionString) { Password = Secret };

        var result = await MigratorAsync("status", "--connection-string", builder.ConnectionString);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Could not log in", result.StandardError);
        Assert.Contains("28P01", result.StandardError);
        AssertNoSecret(result, Secret);
        AssertNoSecret(result, fixture.Cluster.Password);
    }

    [Fact]
    public async Task NoConnectionString_Exits2AndSaysWhereToPutIt()
    {
        var result = await MigratorAsync("status");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ConnectionStrings__fkdb", result.StandardError);
    }

    [Fact]
    public async Task UnknownCommand_Exits2()
    {
        Assert.Equal(2, (await MigratorAsync("frobnicate")).ExitCode);
    }

    [Fact]
    public async Task Baseline_Audit_Up_Status_Down_AsAUserRunsThem()
    {
        await using var db = await fixture.CreateEmptyDatabaseAsync();
        var folder = MigratorDatabases.CopyMigrations();
        var report = Path.Combine(folder, "report", "FK_AUDIT_REPORT.json");
        try
        {
            string[] common = ["--connection-string", db.ConnectionString, "--migrations", folder];

            var baseline = await MigratorAsync(["baseline", .. common]);
            var again = await MigratorAsync(["baseline", .. common]);
            var audit = await MigratorAsync(["audit", "--output", report, .. common]);
            var up = await MigratorAsync(["up", .. common]);
            var status = await MigratorAsync(["status", .. common]);
            await File.AppendAllTextAsync(Path.Combine(folder, MigratorDatabases.Up026 + ".up.sql"), "\n-- edited\n");
            var drift = await MigratorAsync(["status", .. common]);
            var down = await MigratorAsync(["down", .. common]);

            Assert.Equal(0, baseline.ExitCode);
            Assert.Equal(2, again.ExitCode);
            Assert.Contains("Refusing to install the baseline", again.StandardError);
            Assert.Equal(0, audit.ExitCode);
            Assert.Contains("orphan", audit.StandardOutput);
            Assert.True(File.Exists(report));
            Assert.Equal(0, up.ExitCode);
            Assert.Contains($"Applied: {MigratorDatabases.Up025}, {MigratorDatabases.Up026}", up.StandardOutput);
            Assert.Equal(0, status.ExitCode);
            Assert.DoesNotContain("pending", status.StandardOutput);
            Assert.Equal(3, drift.ExitCode);
            Assert.Contains("DRIFT", drift.StandardOutput);
            Assert.Equal(0, down.ExitCode);
            Assert.Contains($"Rolled back: {MigratorDatabases.Up026}, {MigratorDatabases.Up025}", down.StandardOutput);
            foreach (var result in (BufferedCommandResult[])[baseline, again, audit, up, status, drift, down])
            {
                AssertNoSecret(result, fixture.Cluster.Password);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
