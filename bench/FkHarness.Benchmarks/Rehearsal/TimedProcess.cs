using System.Diagnostics;
using CliWrap;

namespace FkHarness.Benchmarks.Rehearsal;

/// <summary>A process run to its end with every output line (stdout and stderr) stamped with the seconds since it was started.</summary>
internal static class TimedProcess
{
    public sealed record Output(IReadOnlyList<(double Seconds, string Line)> Lines, int ExitCode, TimeSpan Wall)
    {
        public string Tail(int characters)
        {
            var text = string.Join('\n', Lines.Select(l => l.Line));
            return text[^Math.Min(characters, text.Length)..];
        }
    }

    public static async Task<Output> RunAsync(Command command, CancellationToken cancellationToken)
    {
        var lines = new List<(double, string)>();
        var clock = Stopwatch.StartNew();
        void Stamp(string line)
        {
            lock (lines)
            {
                // Through a terminal (script) lines end in \r and may carry the terminal's mode escapes.
                lines.Add((clock.Elapsed.TotalSeconds, line.TrimEnd('\r')));
            }
        }

        var result = await command
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Stamp))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Stamp))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        var wall = clock.Elapsed;
        lock (lines)
        {
            return new Output([.. lines], result.ExitCode, wall);
        }
    }
}
