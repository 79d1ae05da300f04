using System.Diagnostics;
using System.Security.Cryptography;
using CliWrap;
using CliWrap.Buffered;
using Npgsql;

namespace FkHarness.Provisioning;

/// <summary>
/// A PostgreSQL cluster of its own in a temp folder, on a loopback port, with a generated
/// password, tuned for speed over durability. Stopped and deleted on dispose, and by its
/// watchdog when this process dies in any other way.
/// </summary>
public sealed class ThrowawayCluster : IAsyncDisposable
{
    // Not "fkharness": a role named like the harness's bookkeeping schema would put every table
    // created through the default search_path ("$user", public) into that schema.
    public const string SuperUser = "postgres";

    private readonly Process watchdog;
    private readonly ServerProcessUser user;
    private int disposed;

    private ThrowawayCluster(PostgresBinaries binaries, string directory, int port, string password, Process watchdog, ServerProcessUser user)
    {
        Binaries = binaries;
        Directory = directory;
        Port = port;
        Password = password;
        this.watchdog = watchdog;
        this.user = user;
    }

    public PostgresBinaries Binaries { get; }

    /// <summary>The cluster folder: data/, server.log, owner.pid.</summary>
    public string Directory { get; }

    public int Port { get; }

    public string Password { get; }

    public bool IsKept { get; private set; }

    /// <summary>A connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = SuperUser,
        Password = Password,
        Timeout = 15,
    }.ConnectionString;

    public static async Task<ThrowawayCluster> StartAsync(ThrowawayClusterOptions options, CancellationToken cancellationToken)
    {
        var binaries = PostgresBinaries.Locate();
        StaleClusterSweeper.Sweep(options.ParentDirectory);
        var user = ServerProcessUser.For(options.ServiceUser);

        var directory = Path.Combine(options.ParentDirectory, $"{StaleClusterSweeper.Prefix}{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        try
        {
            await InitDatabaseClusterAsync(binaries, user, directory, password, cancellationToken);
            return await StartServerAsync(binaries, user, directory, password, options, cancellationToken);
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    internal static async Task InitDatabaseClusterAsync(PostgresBinaries binaries, ServerProcessUser user, string directory, string password, CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(directory, "pwfile");
        // 0600 (then the service user's, by the chown): the folder itself is readable by everyone.
        await OwnerOnlyFile.WriteAsync(passwordFile, password, cancellationToken);
        await user.GiveAsync(directory, cancellationToken);

        var (program, arguments) = user.Wrap(binaries.Initdb,
        [
            "-D", Path.Combine(directory, "data"), "-U", SuperUser, "--pwfile", passwordFile,
            "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync",
        ]);
        var result = await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        File.Delete(passwordFile);
        if (result.ExitCode != 0)
        {
            throw new ProvisioningException(
                $"initdb failed (exit code {result.ExitCode}) creating a throwaway cluster in {directory}: {result.StandardError.Trim()} " +
                (user.SwitchTo is null ? "" : $"It ran as the OS user '{user.SwitchTo}' because this process is root; that user must exist (apt-get install postgresql creates it). ") +
                "Or rehearse on an existing server with --connection-string.");
        }
    }

    private static async Task<ThrowawayCluster> StartServerAsync(PostgresBinaries binaries, ServerProcessUser user, string directory, string password, ThrowawayClusterOptions options, CancellationToken cancellationToken)
    {
        var port = options.Port != 0 ? options.Port : LoopbackPort.FindFree();
        if (options.Port != 0 && !LoopbackPort.IsFree(port))
        {
            throw new ProvisioningException($"Port {port} on 127.0.0.1 is already in use. Pick another with --port, or leave it out to use a free one.");
        }

        var serverArguments = new List<string> { "-D", Path.Combine(directory, "data"), "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (name, value) in ServerSettings.For(directory).Concat(options.Settings))
        {
            serverArguments.Add("-c");
            serverArguments.Add($"{name}={value}");
        }

        var (program, arguments) = user.Wrap("sh", ["-c", ClusterWatchdogScript.Text, "fkharness-watchdog", directory, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), binaries.Postgres, .. serverArguments]);
        var startInfo = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var watchdog = Process.Start(startInfo) ?? throw new ProvisioningException("Could not start the PostgreSQL server process.");
        var cluster = new ThrowawayCluster(binaries, directory, port, password, watchdog, user);
        try
        {
            await cluster.WaitUntilReadyAsync(options.StartTimeout, cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false, Timeout = 2 };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (watchdog.HasExited || !ServerIsRunning())
            {
                throw new ProvisioningException($"The PostgreSQL server exited during start-up. Its log says: {ReadLogTail()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (NpgsqlException e)
            {
                throw new ProvisioningException($"The PostgreSQL server did not accept connections within {timeout.TotalSeconds:0} s ({e.Message}). Its log says: {ReadLogTail()}", e);
            }
        }
    }

    // The watchdog shell is alive as long as the server is, except in the first instant.
    private bool ServerIsRunning() => !watchdog.HasExited;

    private string ReadLogTail()
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(Directory, "server.log"));
            return string.Join(" | ", lines.TakeLast(5));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
    }

    /// <summary>Leave the server running after this process ends (--keep).</summary>
    public void Keep()
    {
        File.WriteAllText(Path.Combine(Directory, "keep"), "kept on request\n");
        IsKept = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1 || IsKept)
        {
            return;
        }

        if (!watchdog.HasExited)
        {
            // From here on the folder is the watchdog's should this process die before it is gone (see ClusterWatchdogScript).
            var stopping = Path.Combine(Directory, "stopping");
            BestEffort(() => File.WriteAllText(stopping, "stopped by its owner\n"));
            var (program, arguments) = user.Wrap(Binaries.PgCtl, ["-D", Path.Combine(Directory, "data"), "stop", "-m", "immediate", "-w", "-t", "20"]);
            var stop = await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            // Once pg_ctl has seen the server go, the watchdog has nothing left to do but notice it
            // (it polls every 0.5 s) and exit: waiting for that was a third of every teardown, so it
            // is ended instead (with its sleep), leaving no process behind. When pg_ctl failed the
            // watchdog is still needed, to stop the server itself.
            if (stop.ExitCode != 0)
            {
                // The watchdog stops the server and ends as before (it waits for no owner without the file).
                BestEffort(() => File.Delete(stopping));
            }
            else
            {
                // Deleted before the watchdog is ended: killed in between, this process leaves the rest to it.
                TryDelete(Directory);
                try
                {
                    watchdog.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It had just exited by itself.
                }
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await watchdog.WaitForExitAsync(limit.Token);
        }

        watchdog.Dispose();
        TryDelete(Directory);
    }

    private static void TryDelete(string directory) => BestEffort(() =>
    {
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    });

    /// <summary>A file operation of the clean-up: what cannot be done is left to the watchdog or the stale-folder sweep.</summary>
    private static void BestEffort(Action operation)
    {
        try
        {
            operation();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
