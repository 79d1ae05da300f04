using CliWrap;
using CliWrap.Buffered;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// The password of the connection string never shows: not in any line the migrator (verbose, DbUp's
/// own messages included) or the seeder prints, on success or on failure, not in the audit report or
/// the manifest they write, not in the server's log. (The AppHost's outputs and artifacts are grepped
/// in AppHost/ExistingServerRehearsalTests and AppHost/KeepTests.)
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class SecretRedactionTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task NoOutputArtifactOrServerLog_ContainsThePassword()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var role = "fkh_redact_" + suffix;
        var secret = "Redact-Me-" + Guid.NewGuid().ToString("N");
        var database = "fkh_redact_db_" + suffix;
        await fixture.ExecuteAdminAsync($"CREATE ROLE {role} LOGIN CREATEDB PASSWORD '{secret}'; CREATE DATABASE {database} OWNER {role}");
        var folder = Directory.CreateTempSubdirectory("fkh-redaction-").FullName;
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(fixture.Cluster.ConnectionString(database)) { Username = role, Password = secret }.ConnectionString;
            var report = Path.Combine(folder, "FK_AUDIT_REPORT.json");
            var manifest = Path.Combine(folder, "manifest.json");
            var broken = Directory.CreateDirectory(Path.Combine(folder, "broken")).FullName;
            await File.WriteAllTextAsync(Path.Combine(broken, "001_broken.up.sql"), "SELECT * FROM no_such_table;\n");
            await File.WriteAllTextAsync(Path.Combine(broken, "001_broken.down.sql"), "SELECT 1;\n");
            var missingDatabase = new NpgsqlConnectionStringBuilder(cs) { Database = "no_such_db" }.ConnectionString;

            (string Tool, string? ConnectionString, string[] Arguments)[] runs =
            [
                ("FkHarness.Migrator.dll", null, ["baseline", "--connection-string", cs, "--verbose"]),
                ("FkHarness.Seeder.dll", cs, ["--scale", "0.05", "--manifest", manifest]),
                ("FkHarness.Seeder.dll", cs, ["--scale", "0.05"]),
                ("FkHarness.Migrator.dll", cs, ["audit", "--output", report, "--verbose"]),
                ("FkHarness.Migrator.dll", cs, ["up", "--verbose"]),
                ("FkHarness.Migrator.dll", null, ["status", "--connection-string", cs]),
                ("FkHarness.Migrator.dll", cs, ["down", "--verbose"]),
                ("FkHarness.Migrator.dll", cs, ["up", "--to", "099"]),
                ("FkHarness.Migrator.dll", cs, ["up", "--migrations", broken, "--verbose"]),
                ("FkHarness.Migrator.dll", missingDatabase, ["status", "--verbose"]),
                ("FkHarness.Seeder.dll", missingDatabase, []),
            ];

            var leaks = new List<string>();
            foreach (var (tool, environment, arguments) in runs)
            {
                var result = await Cli.Wrap("dotnet")
                    .WithArguments([Path.Combine(AppContext.BaseDirectory, tool), .. arguments])
                    .WithEnvironmentVariables(env => env.Set("ConnectionStrings__fkdb", environment).Set("CI", "true"))
                    .WithValidation(CommandResultValidation.None)
                    .ExecuteBufferedAsync()
                    .Task.WaitAsync(TimeSpan.FromMinutes(3));
                var printed = result.StandardOutput + result.StandardError;
                var what = $"{tool} {string.Join(' ', arguments.Select(a => a == cs ? "<cs>" : a))}";
                output.WriteLine($"--- {what}: exit {result.ExitCode}, {printed.Length} characters printed");
                if (printed.Contains(secret, StringComparison.Ordinal))
                {
                    leaks.Add(what);
                }
            }

            foreach (var file in new[] { report, manifest, Path.Combine(fixture.Cluster.Directory, "server.log") })
            {
                Assert.True(File.Exists(file), $"{file} was not written");
                if ((await File.ReadAllTextAsync(file)).Contains(secret, StringComparison.Ordinal))
                {
                    leaks.Add(file);
                }
            }

            Assert.True(leaks.Count == 0, "The password appeared in: " + string.Join(", ", leaks));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await fixture.ExecuteAdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE); DROP ROLE IF EXISTS {role}");
            Directory.Delete(folder, recursive: true);
        }
    }
}
