using System.Text.RegularExpressions;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>
/// --keep: after the rehearsal the AppHost stays up with fkdb reachable as printed, its password
/// only in a 0600 file; Ctrl+C then stops everything and removes the server's folder.
/// </summary>
[Collection(AppHostTests.Name)]
public sealed partial class KeepTests(ITestOutputHelper output)
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Keep_StaysUpUntilCtrlC_SaysHowToConnect_AndNeverPrintsThePassword()
    {
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-keep-").FullName;
        try
        {
            long quarantined = 0;
            string? passwordFile = null;
            string? password = null;
            using var run = await AppHostProcess.RunAsync(["--scale", "0.05", "--keep", "--artifacts", artifacts], timeout: TimeSpan.FromMinutes(10), whileRunning: async (pid, printed) =>
            {
                // The AppHost says it stays up once the report step's lines were relayed, or after 10 s without
                // them: on a loaded machine its "Kept running" lines may come after that. Wait for all three.
                if (!await AppHostProcess.WaitUntilAsync(
                    () => printed() is var text && text.Contains("up until Ctrl+C (which stops the server", StringComparison.Ordinal) && KeptLine().IsMatch(text) && PasswordFile().IsMatch(text),
                    TimeSpan.FromMinutes(8)))
                {
                    return;
                }

                var kept = KeptLine().Match(printed());
                passwordFile = PasswordFile().Match(printed()).Groups[1].Value;
                password = (await File.ReadAllTextAsync(passwordFile)).Trim().Split(':')[^1];
                var connectionString = new NpgsqlConnectionStringBuilder
                {
                    Host = kept.Groups["host"].Value,
                    Port = int.Parse(kept.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture),
                    Database = kept.Groups["database"].Value,
                    Username = kept.Groups["user"].Value,
                    Password = password,
                    Pooling = false,
                }.ConnectionString;
                await using (var connection = new NpgsqlConnection(connectionString))
                {
                    await connection.OpenAsync();
                    await using var command = new NpgsqlCommand("SELECT count(*) FROM fk_fix.quarantine", connection);
                    quarantined = (long)(await command.ExecuteScalarAsync())!;
                }

                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
                await AppHostProcess.InterruptAsync(pid);
            });
            output.WriteLine(run.Describe());

            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.True(quarantined > 0, "fkdb was not reachable as printed while the AppHost stayed up");
            Assert.NotNull(password);
            Assert.DoesNotContain(password, run.All);
            foreach (var file in Directory.GetFiles(artifacts))
            {
                Assert.DoesNotContain(password, await File.ReadAllTextAsync(file));
            }

            Assert.False(File.Exists(passwordFile), $"{passwordFile} is left after Ctrl+C");
            Assert.Empty(run.LeftoverClusterFolders);
            Assert.Empty(run.LeftoverServerProcesses);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    [GeneratedRegex(@"Kept running \(--keep\): host (?<host>\S+), port (?<port>\d+), database (?<database>\S+), user (?<user>\S+)")]
    private static partial Regex KeptLine();

    [GeneratedRegex(@"password: in (\S+) ")]
    private static partial Regex PasswordFile();
}
