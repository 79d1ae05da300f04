using System.Collections.Concurrent;
using System.Diagnostics;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// The migrator as a separate OS process (<c>dotnet FkHarness.Migrator.dll …</c>), so a test can
/// SIGKILL it as a crash, a deploy timeout or the OOM killer would. The connection string goes in
/// through <c>ConnectionStrings__fkdb</c>, never on the command line, where <c>ps</c> would show
/// the password. Output lines are kept with the time they arrived.
/// </summary>
internal sealed class MigratorProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<(TimeSpan At, string Line)> _stderr = new();
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly Stopwatch _clock;
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MigratorProcess(Process process, Stopwatch clock)
    {
        _process = process;
        _clock = clock;
    }

    public int Id => _process.Id;

    public TimeSpan Elapsed => _clock.Elapsed;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string StandardOutput => string.Join('\n', _stdout);

    public string StandardError => string.Join('\n', _stderr.Select(l => l.Line));

    public string AllOutput => StandardOutput + "\n" + StandardError;

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "FkHarness.Migrator.dll");

    /// <summary>Starts the migrator with the connection string in ConnectionStrings__fkdb (none: the variable is removed).</summary>
    public static MigratorProcess Start(string? connectionString, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (connectionString is null)
        {
            info.Environment.Remove("ConnectionStrings__fkdb");
        }
        else
        {
            info.Environment["ConnectionStrings__fkdb"] = connectionString;
        }

        info.Environment["CI"] = "true";
        var clock = Stopwatch.StartNew();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new MigratorProcess(process, clock);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                started._stdoutClosed.TrySetResult();
            }
            else
            {
                started._stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                started._stderrClosed.TrySetResult();
            }
            else
            {
                started._stderr.Enqueue((clock.Elapsed, e.Data));
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>When the first stderr line containing <paramref name="text"/> arrived, if it has.</summary>
    public TimeSpan? SawAt(string text) =>
        _stderr.Where(l => l.Line.Contains(text, StringComparison.Ordinal)).Select(l => (TimeSpan?)l.At).FirstOrDefault();

    /// <summary>SIGKILL: no clean-up, no cancellation, no goodbye to the server.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }
    }

    /// <summary>Waits for the exit and the end of both output streams; kills the process if it takes longer.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The migrator (pid {Id}) did not finish within {timeout.TotalSeconds:0} s. Its output so far:\n{AllOutput}");
        }

        return _process.ExitCode;
    }

    /// <summary>Runs to the end and returns the exit code; <paramref name="timeout"/> bounds the wait.</summary>
    public static async Task<MigratorProcess> RunAsync(string? connectionString, TimeSpan timeout, params string[] arguments)
    {
        var process = Start(connectionString, arguments);
        await process.WaitAsync(timeout);
        return process;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
