using System.Text.RegularExpressions;
using CliWrap;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>--keep on the throwaway cluster: left running, reachable as printed, and its password in a 0600 file only.</summary>
[Collection(AppHostTests.Name)]
public sealed partial class KeepTests(ITestOutputHelper output)
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Keep_LeavesTheClusterRunning_SaysHowToConnect_AndNeverPrintsThePassword()
    {
        var artifacts = Directory.CreateTempSubdirectory("fkh-apphost-keep-").FullName;
        string? remove = null;
        try
        {
            var run = await AppHostProcess.RunAsync(["--scale", "0.05", "--keep", "--artifacts", artifacts]);
            output.WriteLine(run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
            remove = RemoveCommand().Match(run.Output).Groups[1].Value;

            var kept = KeptLine().Match(run.Output);
            Assert.True(kept.Success, run.Describe());
            var passwordFile = PasswordFile().Match(run.Output).Groups[1].Value;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
            var password = (await File.ReadAllTextAsync(passwordFile)).Trim().Split(':')[^1];

            Assert.DoesNotContain(password, run.All);
            foreach (var file in Directory.GetFiles(artifacts))
            {
                Assert.DoesNotContain(password, await File.ReadAllTextAsync(file));
            }

            var connectionString = new NpgsqlConnectionStringBuilder
            {
                Host = kept.Groups["host"].Value,
                Port = int.Parse(kept.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture),
                Database = kept.Groups["database"].Value,
                Username = kept.Groups["user"].Value,
                Password = password,
                Pooling = false,
            }.ConnectionString;
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM fk_fix.quarantine", connection);
            Assert.True((long)(await command.ExecuteScalarAsync())! > 0);
        }
        finally
        {
            if (!string.IsNullOrEmpty(remove))
            {
                await Cli.Wrap("sh").WithArguments(["-c", remove]).WithValidation(CommandResultValidation.None).ExecuteAsync();
            }

            Directory.Delete(artifacts, recursive: true);
        }
    }

    [GeneratedRegex(@"Kept running \(--keep\): host (?<host>\S+), port (?<port>\d+), database (?<database>\S+), user (?<user>\S+)")]
    private static partial Regex KeptLine();

    [GeneratedRegex(@"password: in (\S+) ")]
    private static partial Regex PasswordFile();

    [GeneratedRegex(@"remove:\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex RemoveCommand();
}
