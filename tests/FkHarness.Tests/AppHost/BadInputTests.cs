using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace FkHarness.Tests.AppHost;

/// <summary>Bad input gets one clear paragraph and exit code 2; nothing is left running, no stack trace, no password.</summary>
[Collection(AppHostTests.Name)]
public sealed class BadInputTests(ITestOutputHelper output)
{
    public static TheoryData<string[], string> Cases => new()
    {
        { ["--from-dump", "/nonexistent/staging.dump"], "The dump file /nonexistent/staging.dump does not exist" },
        { ["--connection-string", "Host=127.0.0.1;Port=1;Username=nobody;Password=hunter2-secret;Timeout=5"], "Could not connect to PostgreSQL at 127.0.0.1:1" },
        { ["--frobnicate"], "Unrecognized command or argument '--frobnicate'" },
        { ["--scale", "-1"], "--scale must be greater than 0" },
        { ["--scale", "abc"], "--scale takes a number, such as 1 or 0.2; got 'abc'." },
        { ["--seed", "1.5"], "--seed takes a whole number, such as 1 or 42; got '1.5'." },
        { ["--migrations", "/nonexistent/migrations"], "The migrations folder /nonexistent/migrations does not exist" },
        { ["--traffic", "abc"], "--traffic takes the writers' total rate in writes per second, a whole number such as 50; got 'abc'." },
        { ["--traffic", "0"], "--traffic takes the writers' total rate in writes per second, from 1 to 2000; got 0." },
        { ["--traffic", "5000"], "--traffic takes the writers' total rate in writes per second, from 1 to 2000; got 5000." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_ExitsTwo_WithAClearMessage(string[] arguments, string message)
    {
        var artifacts = Path.Combine(Path.GetTempPath(), "fkh-bad-input-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var run = await AppHostProcess.RunAsync([.. arguments, "--artifacts", artifacts]);
            output.WriteLine(run.Describe());

            AssertRefused(run, message);
            Assert.DoesNotContain("hunter2-secret", run.All);
            Assert.DoesNotContain("System.", run.All);
        }
        finally
        {
            // Some refusals come after the folder was made.
            if (Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Help_ListsTheExitCodes()
    {
        using var run = await AppHostProcess.RunAsync(["--help"]);
        output.WriteLine(run.Describe());

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("Exit codes: 0 the rehearsal succeeded; 1 it ran and something failed", run.Output);
        Assert.Contains("2 bad input or environment", run.Output);
        Assert.Contains("130 stopped by Ctrl+C or SIGTERM", run.Output);
    }

    [Fact]
    public async Task CorruptDump_ExitsTwo_BeforeStartingAnything()
    {
        var dump = Path.GetTempFileName();
        await File.WriteAllBytesAsync(dump, [.. "PGDMP"u8.ToArray(), .. Enumerable.Range(0, 4000).Select(i => (byte)(i * 7))]);
        try
        {
            using var run = await AppHostProcess.RunAsync(["--from-dump", dump]);
            output.WriteLine(run.Describe());

            AssertRefused(run, "is not a dump pg_restore can read");
            Assert.DoesNotContain("stage provision", run.Output);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public async Task BusyPort_ExitsTwo_AndStartsNoServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        using var run = await AppHostProcess.RunAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        output.WriteLine(run.Describe());

        AssertRefused(run, $"Port {port} on 127.0.0.1 is already in use");
    }

    private static void AssertRefused(AppHostRun run, string message)
    {
        Assert.True(run.ExitCode == 2, run.Describe());
        Assert.Contains(message, run.All);
        Assert.DoesNotContain("   at ", run.All);
        Assert.DoesNotContain("Exception", run.All);
        Assert.Empty(run.LeftoverClusterFolders);
        Assert.Empty(run.LeftoverServerProcesses);
    }
}
