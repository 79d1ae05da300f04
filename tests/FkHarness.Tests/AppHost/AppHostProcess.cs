using System.Text;
using CliWrap;

namespace FkHarness.Tests.AppHost;

/// <summary>
/// Runs the AppHost as a user would (<c>dotnet fkharness.dll …</c>, from this test's output folder)
/// with plain output (CI=true) and no inherited ConnectionStrings__fkdb, in a working folder of its
/// own (where a run without --artifacts writes), and captures what it printed. The run returned
/// owns that folder: disposing it removes it.
/// </summary>
internal static class AppHostProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "fkharness.dll");

    /// <param name="arguments">The command line after <c>fkharness</c>.</param>
    /// <param name="environment">Extra environment variables (null removes one).</param>
    /// <param name="whileRunning">Called once the process started, with its id and a way to read its output so far.</param>
    /// <param name="timeout">Killed after this; the test then fails on the exit code.</param>
    public static async Task<AppHostRun> RunAsync(
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        Func<int, Func<string>, Task>? whileRunning = null,
        TimeSpan? timeout = null)
    {
        var output = new StringBuilder();
        var error = new StringBuilder();
        var workingDirectory = Directory.CreateTempSubdirectory("fkh-apphost-cwd-").FullName;
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(4));
        var command = Cli.Wrap("dotnet")
            .WithArguments([Dll, .. arguments])
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(env =>
            {
                env.Set("CI", "true").Set("ConnectionStrings__fkdb", null);
                foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
                {
                    env.Set(name, value);
                }
            })
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => { lock (output) { output.AppendLine(line); } }))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => { lock (error) { error.AppendLine(line); } }))
            .WithValidation(CommandResultValidation.None);

        var task = command.ExecuteAsync(limit.Token);
        if (whileRunning is not null)
        {
            try
            {
                await whileRunning(task.ProcessId, () => { lock (output) { return output.ToString(); } });
            }
            catch
            {
                // A failed assertion in the callback must not leave the AppHost running until the limit.
                await limit.CancelAsync();
                await Task.WhenAny(task.Task);
                Directory.Delete(workingDirectory, recursive: true);
                throw;
            }
        }

        int exitCode;
        try
        {
            exitCode = (await task).ExitCode;
        }
        catch (OperationCanceledException)
        {
            exitCode = -1;
        }

        return new AppHostRun(exitCode, output.ToString(), error.ToString(), task.ProcessId, workingDirectory);
    }

    /// <summary>Sends SIGINT, as Ctrl+C on a terminal does.</summary>
    public static async Task InterruptAsync(int processId) =>
        await Cli.Wrap("kill").WithArguments(["-INT", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExecuteAsync();

    /// <summary>Waits until the process printed <paramref name="text"/>, for at most <paramref name="timeout"/>.</summary>
    public static Task<bool> WaitForOutputAsync(Func<string> output, string text, TimeSpan timeout) =>
        WaitUntilAsync(() => output().Contains(text, StringComparison.Ordinal), timeout);

    /// <summary>Waits until <paramref name="condition"/> holds, checking every 100 ms, for at most <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
