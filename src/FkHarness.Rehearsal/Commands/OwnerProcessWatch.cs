using System.Globalization;

namespace FkHarness.Rehearsal.Commands;

/// <summary>
/// Run by the AppHost, the rehearsal is a grandchild (DCP runs <c>dotnet run</c>, which runs it):
/// if the AppHost is SIGKILLed, DCP kills the wrapper and the rehearsal would be left running
/// against a server that is gone. It watches the AppHost instead (FKHARNESS_OWNER_PID) and, once
/// that process has gone, cancels as Ctrl+C would.
/// </summary>
internal sealed class OwnerProcessWatch : IDisposable
{
    public const string EnvironmentVariable = "FKHARNESS_OWNER_PID";

    private readonly Timer? timer;

    private OwnerProcessWatch(TerminationSignal signal, int? owner)
    {
        if (owner is { } pid)
        {
            timer = new Timer(_ =>
            {
                if (!Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"))
                {
                    signal.CancelBecause("the AppHost is gone");
                }
            }, null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        }
    }

    public static OwnerProcessWatch Start(TerminationSignal signal) =>
        new(signal, int.TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), CultureInfo.InvariantCulture, out var pid) && OperatingSystem.IsLinux() ? pid : null);

    public void Dispose() => timer?.Dispose();
}
