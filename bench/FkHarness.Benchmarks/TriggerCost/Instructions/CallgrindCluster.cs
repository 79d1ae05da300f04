using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using FkHarness.Provisioning;
using Npgsql;

namespace FkHarness.Benchmarks.TriggerCost.Instructions;

/// <summary>
/// A cluster of its own for counting instructions: set up through a briefly started server (unix
/// socket only, trust), then measured as a single-user backend (<c>postgres --single</c>) under
/// valgrind's callgrind, which counts every instruction the backend executes: deterministic, so
/// figures do not move with the machine's load as CPU time does. No autovacuum, no other session.
/// </summary>
internal sealed class CallgrindCluster : IAsyncDisposable
{
    public const string Database = "instructions";
    private const string Valgrind = "valgrind";

    private readonly PostgresBinaries binaries;
    private readonly ServerProcessUser user;
    private readonly string directory;

    private CallgrindCluster(PostgresBinaries binaries, ServerProcessUser user, string directory)
    {
        this.binaries = binaries;
        this.user = user;
        this.directory = directory;
    }

    private string DataDirectory => Path.Combine(directory, "data");

    /// <summary>Whether valgrind is installed; without it the instruction counts are left out.</summary>
    public static bool Available() =>
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Any(p => File.Exists(Path.Combine(p, Valgrind))) == true;

    public static async Task<CallgrindCluster> CreateAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        var user = ServerProcessUser.For("postgres");
        var directory = Path.Combine(Path.GetTempPath(), $"fkharness-callgrind-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(directory);
        await user.GiveAsync(directory, cancellationToken);
        var cluster = new CallgrindCluster(binaries, user, directory);
        try
        {
            await cluster.RunAsync(binaries.Initdb, ["-D", cluster.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server for <paramref name="setUp"/> (given a connection string), then stops it.</summary>
    public async Task WithServerAsync(Func<string, Task> setUp, CancellationToken cancellationToken)
    {
        var port = LoopbackPort.FindFree();
        await RunAsync(binaries.PgCtl,
        [
            "-D", DataDirectory, "-w", "-l", Path.Combine(directory, "server.log"),
            "-o", string.Create(CultureInfo.InvariantCulture, $"-p {port} -k {directory} -c listen_addresses= -c fsync=off -c autovacuum=off"), "start",
        ], cancellationToken);
        try
        {
            await setUp(new NpgsqlConnectionStringBuilder { Host = directory, Port = port, Username = "postgres", Database = Database, Pooling = false }.ConnectionString);
        }
        finally
        {
            await RunAsync(binaries.PgCtl, ["-D", DataDirectory, "-w", "-m", "fast", "stop"], CancellationToken.None);
        }
    }

    /// <summary>Instructions a single-user backend executes to start, run <paramref name="sql"/> (one line) and exit.</summary>
    public async Task<long> InstructionsAsync(string sql, CancellationToken cancellationToken)
    {
        var output = Path.Combine(directory, $"callgrind.{Guid.NewGuid():N}");
        var (program, arguments) = user.Wrap(Valgrind,
        [
            "--tool=callgrind", $"--callgrind-out-file={output}",
            binaries.Postgres, "--single", "-D", DataDirectory, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "autovacuum=off", Database,
        ]);
        var result = await Cli.Wrap(program).WithArguments(arguments).WithStandardInputPipe(PipeSource.FromString(sql + "\n"))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0 || result.StandardOutput.Contains("ERROR:", StringComparison.Ordinal) || !File.Exists(output))
        {
            throw new InvalidOperationException($"callgrind run of `{sql}` failed (exit {result.ExitCode}): {result.StandardOutput} {result.StandardError}");
        }

        var totals = File.ReadLines(output).First(l => l.StartsWith("summary:", StringComparison.Ordinal) || l.StartsWith("totals:", StringComparison.Ordinal));
        File.Delete(output);
        return long.Parse(totals.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private async Task RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var (wrapped, wrappedArguments) = user.Wrap(program, arguments);
        var result = await Cli.Wrap(wrapped).WithArguments(wrappedArguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed (exit {result.ExitCode}): {result.StandardError.Trim()}");
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover in /tmp; the stale-cluster sweeper does not know this prefix, but nothing runs in it.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
