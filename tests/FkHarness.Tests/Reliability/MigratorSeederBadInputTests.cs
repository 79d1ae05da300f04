using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// Bad input everywhere, through the programs as a user runs them: each case gets a clear message,
/// the documented non-zero exit code, no stack trace, no password, and leaves the database exactly
/// as it was. The table of cases is written to the figures (docs/reliability.md keeps a copy).
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class MigratorSeederBadInputTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const string Secret = "Secret-4242-do-not-print";

    /// <summary>One bad input: a description, the connection string (null: none), the arguments, and what must come back.</summary>
    private sealed record Case(string Input, string? ConnectionString, string[] Arguments, int ExitCode, string Message);

    [Fact]
    public async Task Migrator_RejectsEveryBadInput_WithAMessage_ANonZeroExitCode_AndNoChange()
    {
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        await db.ExecuteAsync("INSERT INTO users (user_id, email, display_name) VALUES ('usr_alice', 'a@example.com', 'Alice')");
        using var scripts = new ScriptFolder();
        var empty = Directory.CreateDirectory(Path.Combine(scripts.Path, "empty")).FullName;
        var dangling = Directory.CreateDirectory(Path.Combine(scripts.Path, "dangling")).FullName;
        File.CreateSymbolicLink(Path.Combine(dangling, "001_gone.up.sql"), "/nonexistent/001_gone.up.sql");
        await File.WriteAllTextAsync(Path.Combine(dangling, "001_gone.down.sql"), "SELECT 1;\n");
        var orphanUp = Directory.CreateDirectory(Path.Combine(scripts.Path, "no-down")).FullName;
        await File.WriteAllTextAsync(Path.Combine(orphanUp, "001_lonely.up.sql"), "SELECT 1;\n");
        var broken = Directory.CreateDirectory(Path.Combine(scripts.Path, "broken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(broken, "001_broken.up.sql"), "SELEC 1;\nCREATE TABLE never_created (id int);\n");
        await File.WriteAllTextAsync(Path.Combine(broken, "001_broken.down.sql"), "SELECT 1;\n");
        var aFile = Path.Combine(scripts.Path, "a-file");
        await File.WriteAllTextAsync(aFile, "not a folder");
        var cs = db.ConnectionString;
        Case[] cases =
        [
            new("unreachable server (closed port)", Unreachable(), ["up"], 2, "Could not connect to PostgreSQL at 127.0.0.1:"),
            new("unknown host name", $"Host=no-such-host.invalid;Database=app;Username=app;Password={Secret}", ["up"], 2, "Could not connect to PostgreSQL at no-such-host.invalid"),
            new("wrong password", WithPassword(cs, Secret), ["up"], 2, "Could not log in"),
            new("database that does not exist", WithDatabase(cs, "no_such_db"), ["up"], 2, "does not exist (SQLSTATE 3D000)"),
            new("malformed connection string", $"Hots=127.0.0.1;Password={Secret}", ["up"], 2, "connection string is not valid"),
            new("no connection string", null, ["up"], 2, "ConnectionStrings__fkdb"),
            new("--migrations folder that does not exist", cs, ["up", "--migrations", "/nonexistent/migrations"], 2, "does not exist"),
            new("--migrations folder with no migrations", cs, ["up", "--migrations", empty], 2, "holds no migrations"),
            new("--migrations folder with an unreadable script (dangling link)", cs, ["up", "--migrations", dangling], 2, "Cannot read the migration script"),
            new("--migrations folder with an up script but no down", cs, ["up", "--migrations", orphanUp], 2, "has no down script"),
            new("a script with a syntax error", cs, ["up", "--migrations", broken], 1, "failed in 001_broken.up.sql at line 1 (SELEC 1): syntax error"),
            new("unknown option", cs, ["up", "--frobnicate"], 2, "Unrecognized command or argument '--frobnicate'"),
            new("unknown command", cs, ["frobnicate"], 2, "Unrecognized command or argument 'frobnicate'"),
            new("--to naming no migration", cs, ["up", "--to", "099"], 2, "--to 099 names no migration"),
            new("down --to that is no migration", cs, ["down", "--to", "abc"], 2, "is not a migration to roll back to"),
            new("--lock-timeout-retries not a number", cs, ["up", "--lock-timeout-retries", "abc"], 2, "Cannot parse argument 'abc'"),
            new("audit --output that cannot be written", cs, ["audit", "--output", Path.Combine(aFile, "report.json")], 2, "Could not write the audit report"),
            new("baseline into a database that has tables", cs, ["baseline"], 2, "Refusing to install the baseline"),
        ];

        var before = await EndState.TakeAsync(cs);
        var results = await RunAllAsync(cases, arguments => MigratorAsync(arguments.ConnectionString, arguments.Arguments));
        var after = await EndState.TakeAsync(cs);

        Report("bad-input-migrator", "migrator", cases, results);
        AssertAll(cases, results, cs);
        Assert.Equal("", before.Diff(after));
    }

    [Fact]
    public async Task Seeder_RejectsEveryBadInput_WithAMessage_ANonZeroExitCode_AndNoChange()
    {
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        await using var bare = await fixture.CreateEmptyDatabaseAsync();
        using var scripts = new ScriptFolder();
        var aFile = Path.Combine(scripts.Path, "a-file");
        await File.WriteAllTextAsync(aFile, "not a folder");
        var cs = db.ConnectionString;

        Case[] cases =
        [
            new("unreachable server (closed port)", Unreachable(), [], 1, "failed: Seeding 127.0.0.1:"),
            new("unknown host name", $"Host=no-such-host.invalid;Database=app;Username=app;Password={Secret}", [], 1, "failed: Seeding no-such-host.invalid"),
            new("wrong password", WithPassword(cs, Secret), [], 1, "28P01"),
            new("database that does not exist", WithDatabase(cs, "no_such_db"), [], 1, "3D000"),
            new("malformed connection string", $"Hots=127.0.0.1;Password={Secret}", [], 2, "error: The connection string is not valid"),
            new("no connection string", null, [], 2, "ConnectionStrings__fkdb"),
            new("--scale 0", cs, ["--scale", "0"], 2, "--scale must be greater than 0 and at most 1000"),
            new("--scale -1", cs, ["--scale", "-1"], 2, "--scale must be greater than 0"),
            new("--scale 1001", cs, ["--scale", "1001"], 2, "at most 1000"),
            new("--scale NaN", cs, ["--scale", "NaN"], 2, "got NaN"),
            new("--scale abc", cs, ["--scale", "abc"], 2, "error: Cannot parse argument 'abc'"),
            new("--orphan-rate 0.9", cs, ["--orphan-rate", "0.9"], 2, "--orphan-rate must be between 0 and 0.5"),
            new("--seed -1", cs, ["--seed", "-1"], 2, "--seed must be 0 or greater"),
            new("unknown option", cs, ["--frobnicate"], 2, "error: Unrecognized command or argument '--frobnicate'"),
            new("--manifest that cannot be written (the load is rolled back)", cs, ["--scale", "0.01", "--manifest", Path.Combine(aFile, "manifest.json")], 2, "Could not write the manifest"),
            new("a database not made by `baseline` (no rehearsal marker)", bare.ConnectionString, ["--scale", "0.01"], 1, "refused: Refusing to seed"),
        ];

        var before = await EndState.TakeAsync(cs);
        var results = await RunAllAsync(cases, c => SeederAsync(c.ConnectionString, c.Arguments));
        var after = await EndState.TakeAsync(cs);

        Report("bad-input-seeder", "seeder", cases, results);
        AssertAll(cases, results, cs);
        Assert.Equal("", before.Diff(after));
        Assert.Equal(0L, await bare.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"));
    }

    private void AssertAll(Case[] cases, BufferedCommandResult[] results, string connectionString)
    {
        var password = new NpgsqlConnectionStringBuilder(connectionString).Password!;
        var problems = new List<string>();
        foreach (var (c, r) in cases.Zip(results))
        {
            var text = r.StandardOutput + r.StandardError;
            if (r.ExitCode != c.ExitCode)
            {
                problems.Add($"{c.Input}: exit {r.ExitCode}, expected {c.ExitCode}");
            }

            if (!text.Contains(c.Message, StringComparison.Ordinal))
            {
                problems.Add($"{c.Input}: no '{c.Message}' in the output");
            }

            if (text.Contains("   at ", StringComparison.Ordinal))
            {
                problems.Add($"{c.Input}: a stack trace");
            }

            if (text.Contains(Secret, StringComparison.Ordinal) || text.Contains(password, StringComparison.Ordinal))
            {
                problems.Add($"{c.Input}: the password is in the output");
            }
        }

        foreach (var (c, r) in cases.Zip(results))
        {
            output.WriteLine($"--- {c.Input}: exit {r.ExitCode}\n{r.StandardOutput}{r.StandardError}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private void Report(string name, string tool, Case[] cases, BufferedCommandResult[] results)
    {
        var figures = new ReliabilityFigures(output, name);
        figures.Line($"| {tool}: input | exit | message (first line, as printed) |");
        figures.Line("|---|---|---|");
        foreach (var (c, r) in cases.Zip(results))
        {
            var line = (r.StandardError + "\n" + r.StandardOutput).Split('\n')
                .Select(l => l.Trim()).FirstOrDefault(l => l.Contains(c.Message, StringComparison.Ordinal)) ?? "(expected message missing)";
            figures.Line($"| {c.Input} | {r.ExitCode} | {line.Replace("|", "/", StringComparison.Ordinal)} |");
        }

        figures.Save();
    }

    /// <summary>Runs the cases a few at a time: each is a fresh process that fails fast.</summary>
    private static async Task<BufferedCommandResult[]> RunAllAsync(Case[] cases, Func<Case, Task<BufferedCommandResult>> run)
    {
        using var gate = new SemaphoreSlim(4);
        return await Task.WhenAll(cases.Select(async c =>
        {
            await gate.WaitAsync();
            try
            {
                return await run(c);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static Task<BufferedCommandResult> MigratorAsync(string? connectionString, string[] arguments) => RunAsync("FkHarness.Migrator.dll", connectionString, arguments);

    private static Task<BufferedCommandResult> SeederAsync(string? connectionString, string[] arguments) => RunAsync("FkHarness.Seeder.dll", connectionString, arguments);

    private static async Task<BufferedCommandResult> RunAsync(string dll, string? connectionString, string[] arguments) =>
        await Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, dll), .. arguments])
            .WithEnvironmentVariables(env => env.Set("ConnectionStrings__fkdb", connectionString).Set("CI", "true"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .Task.WaitAsync(TimeSpan.FromMinutes(2));

    private static string Unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return $"Host=127.0.0.1;Port={port};Database=app;Username=app;Password={Secret}";
    }

    private static string WithPassword(string connectionString, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = password }.ConnectionString;

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;
}
