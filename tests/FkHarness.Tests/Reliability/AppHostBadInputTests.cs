using CliWrap;
using FkHarness.Provisioning;
using FkHarness.Tests.AppHost;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// The AppHost's bad input beyond AppHost/BadInputTests (missing and corrupt dump, unreachable
/// server, unknown option, busy port, --scale -1, missing migrations): unreadable and empty dumps,
/// a dump cut short, more out-of-range options, a wrong password and a user who may not create
/// databases on an existing server. Each gets a clear message, its exit code, no stack trace, no
/// password, and leaves no cluster, no server process and no rehearsal database behind; on an
/// existing server nothing but the rehearsal's own database is ever touched.
/// </summary>
[Collection(AppHostTests.Name)]
public sealed class AppHostBadInputTests(ITestOutputHelper output)
{
    private sealed record Case(string Input, string[] Arguments, string? ConnectionString, int ExitCode, string Message);

    [Fact]
    public async Task BadDumpsOptionsAndCredentials_GetAMessageAndAnExitCode_AndLeaveNothingBehind()
    {
        var cluster = await SharedCluster.GetAsync();
        var scratch = Directory.CreateTempSubdirectory("fkh-apphost-bad-").FullName;
        const string role = "fkh_no_createdb";
        const string rolePassword = "NoCreateDb-Secret-77";
        await AdminAsync(cluster, $"DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN PASSWORD '{rolePassword}'");
        try
        {
            var dangling = Path.Combine(scratch, "dangling.dump");
            File.CreateSymbolicLink(dangling, "/nonexistent/staging.dump");
            var empty = Path.Combine(scratch, "empty.dump");
            await File.WriteAllBytesAsync(empty, []);
            var notADump = Directory.CreateDirectory(Path.Combine(scratch, "not-a-dump")).FullName;
            var truncated = await TruncatedDumpAsync(cluster, scratch);
            var wrongPassword = new NpgsqlConnectionStringBuilder(cluster.ConnectionString()) { Password = "Wrong-Secret-4242" }.ConnectionString;
            var noCreateDb = new NpgsqlConnectionStringBuilder(cluster.ConnectionString()) { Username = role, Password = rolePassword }.ConnectionString;

            Case[] cases =
            [
                new("--from-dump: a dangling symbolic link", ["--from-dump", dangling], null, 2, "cannot be read"),
                new("--from-dump: an empty file", ["--from-dump", empty], null, 2, "is not a dump pg_restore can read"),
                new("--from-dump: a folder that is no -Fd dump", ["--from-dump", notADump], null, 2, "is not a dump pg_restore can read"),
                new("--from-dump: a dump cut short (its list reads, its data does not)", ["--from-dump", truncated], null, 1, "Rehearsal failed at stage 'restore'"),
                new("--scale 5000", ["--scale", "5000"], null, 2, "--scale must be greater than 0 and at most 1000"),
                new("--scale NaN", ["--scale", "NaN"], null, 2, "got NaN"),
                new("--port 80", ["--port", "80"], null, 2, "is a privileged port"),
                new("existing server: wrong password", ["--scale", "0.05"], wrongPassword, 2, "Could not log in"),
                new("existing server: a user without CREATEDB", ["--scale", "0.05"], noCreateDb, 2, "may not create databases"),
            ];

            var problems = new List<string>();
            var figures = new ReliabilityFigures(output, "bad-input-apphost");
            figures.Line("| AppHost: input | exit | message (first line with it, as printed) |");
            figures.Line("|---|---|---|");
            foreach (var c in cases)
            {
                using var run = await AppHostProcess.RunAsync(
                    [.. c.Arguments, "--artifacts", Path.Combine(scratch, "artifacts-" + Guid.NewGuid().ToString("N"))],
                    new Dictionary<string, string?> { ["ConnectionStrings__fkdb"] = c.ConnectionString });
                output.WriteLine($"--- {c.Input}\n{run.Describe()}");
                var line = run.All.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains(c.Message, StringComparison.Ordinal));
                figures.Line($"| {c.Input} | {run.ExitCode} | {(line ?? "(expected message missing)").Replace("|", "/", StringComparison.Ordinal)} |");
                problems.AddRange(Judge(c, run, cluster.Password, rolePassword));
            }

            figures.Save();
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            Assert.Empty(await RehearsalDatabasesAsync(cluster));
        }
        finally
        {
            await AdminAsync(cluster, $"DROP ROLE IF EXISTS {role}");
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task AFailedRehearsalOnAnExistingServer_TouchesNoOtherDatabase_AndLeavesNoneOfItsOwn()
    {
        var cluster = await SharedCluster.GetAsync();
        var scratch = Directory.CreateTempSubdirectory("fkh-apphost-canary-").FullName;
        var canary = "fkh_canary_" + Guid.NewGuid().ToString("N")[..8];
        await AdminAsync(cluster, $"CREATE DATABASE {canary}");
        try
        {
            var canaryConnection = cluster.ConnectionString(canary);
            await ExecuteAsync(canaryConnection, "CREATE TABLE users (id bigint PRIMARY KEY, user_id text); INSERT INTO users VALUES (1, 'usr_canary')");
            var before = await EndState.TakeAsync(canaryConnection);
            var truncated = await TruncatedDumpAsync(cluster, scratch);
            var artifacts = Path.Combine(scratch, "artifacts");

            using var run = await AppHostProcess.RunAsync(["--from-dump", truncated, "--artifacts", artifacts],
                new Dictionary<string, string?> { ["ConnectionStrings__fkdb"] = cluster.ConnectionString() });
            output.WriteLine(run.Describe());

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("Rehearsal failed at stage 'restore'", run.All);
            Assert.Matches(@"stage teardown: succeeded .* dropped", run.Output);
            Assert.Empty(await RehearsalDatabasesAsync(cluster));
            Assert.Equal("", before.Diff(await EndState.TakeAsync(canaryConnection)));
            Assert.DoesNotContain(cluster.Password, run.All);
            foreach (var file in Directory.GetFiles(artifacts))
            {
                Assert.DoesNotContain(cluster.Password, await File.ReadAllTextAsync(file));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync(cluster, $"DROP DATABASE IF EXISTS {canary} WITH (FORCE)");
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static List<string> Judge(Case c, AppHostRun run, params string[] secrets)
    {
        var problems = new List<string>();
        if (run.ExitCode != c.ExitCode)
        {
            problems.Add($"{c.Input}: exit {run.ExitCode}, expected {c.ExitCode}");
        }

        if (!run.All.Contains(c.Message, StringComparison.Ordinal))
        {
            problems.Add($"{c.Input}: no '{c.Message}' in the output");
        }

        if (run.All.Contains("   at ", StringComparison.Ordinal))
        {
            problems.Add($"{c.Input}: a stack trace");
        }

        problems.AddRange(secrets.Where(s => run.All.Contains(s, StringComparison.Ordinal)).Select(_ => $"{c.Input}: a password in the output"));
        if (run.LeftoverClusterFolders.Count > 0 || run.LeftoverServerProcesses.Count > 0)
        {
            problems.Add($"{c.Input}: a cluster folder or server process left behind");
        }

        return problems;
    }

    /// <summary>A real pg_dump -Fc of a small seeded database, cut to 60 %: pg_restore --list reads it, the restore fails.</summary>
    private static async Task<string> TruncatedDumpAsync(ThrowawayCluster cluster, string folder)
    {
        var database = "fkh_dump_src_" + Guid.NewGuid().ToString("N")[..8];
        await AdminAsync(cluster, $"CREATE DATABASE {database}");
        try
        {
            var connectionString = cluster.ConnectionString(database);
            var baseline = await Psql.RunFileAsync(connectionString, MigrationFiles.Baseline);
            Assert.True(baseline.ExitCode == 0, baseline.StandardError);
            var seeded = await FkHarness.Seeder.DatabaseSeeder.SeedAsync(new FkHarness.Seeder.SeedOptions { ConnectionString = connectionString, Scale = 0.05 });
            Assert.True(seeded.Succeeded, seeded.Message);
            var whole = Path.Combine(folder, "whole.dump");
            var dump = await Cli.Wrap(PostgresBinaries.Locate().PgDump)
                .WithArguments(["-Fc", "-f", whole, "-d", database, "-h", "127.0.0.1", "-p", cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", ThrowawayCluster.SuperUser])
                .WithEnvironmentVariables(env => env.Set("PGPASSWORD", cluster.Password))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync();
            Assert.Equal(0, dump.ExitCode);
            var bytes = await File.ReadAllBytesAsync(whole);
            var truncated = Path.Combine(folder, "truncated.dump");
            await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 6 / 10)]);
            return truncated;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync(cluster, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static Task<List<string>> RehearsalDatabasesAsync(ThrowawayCluster cluster) =>
        SqlColumn.ReadAsync(cluster.ConnectionString(), "SELECT datname FROM pg_database WHERE datname LIKE 'fkharness\\_rehearsal\\_%'");

    private static Task AdminAsync(ThrowawayCluster cluster, string sql) => ExecuteAsync(cluster.ConnectionString(), sql);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        foreach (var statement in sql.Split("; ", StringSplitOptions.RemoveEmptyEntries))
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
