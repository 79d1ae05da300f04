using System.Security.Cryptography;
using FkHarness.AppHost.Cli;
using FkHarness.Provisioning;
using Microsoft.Extensions.Configuration;

namespace FkHarness.AppHost.Running;

/// <summary>
/// On a terminal: the dashboard over http on loopback (no dev certificate needed, no version
/// check going out), at an address fixed before start so it can be printed. Under CI, with
/// redirected output or --no-dashboard: headless.
/// </summary>
internal sealed class RunConsole
{
    private readonly int dashboardPort;
    private readonly string browserToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private RunConsole(bool dashboard)
    {
        Dashboard = dashboard;
        dashboardPort = dashboard ? LoopbackPort.FindFree() : 0;
    }

    public bool Dashboard { get; }

    public string DashboardLogin => $"http://127.0.0.1:{dashboardPort}/login?t={browserToken}";

    public static RunConsole For(AppHostOptions options)
    {
        var ci = Environment.GetEnvironmentVariable("CI");
        var inCi = !string.IsNullOrEmpty(ci) && !ci.Equals("false", StringComparison.OrdinalIgnoreCase) && ci != "0";
        // The dashboard would look for a newer Aspire over the network once a day.
        Environment.SetEnvironmentVariable("ASPIRE_VERSION_CHECK_DISABLED", "true");
        return new RunConsole(!inCi && !options.NoDashboard && !Console.IsOutputRedirected);
    }

    public DistributedApplicationOptions ApplicationOptions() => new()
    {
        Args = [],
        DisableDashboard = !Dashboard,
        AllowUnsecuredTransport = Dashboard,
    };

    /// <summary>The dashboard's addresses, all on loopback; the login token only in this process's configuration.</summary>
    public void Configure(IConfigurationManager configuration)
    {
        if (!Dashboard)
        {
            return;
        }

        configuration["ASPNETCORE_URLS"] = $"http://127.0.0.1:{dashboardPort}";
        configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{LoopbackPort.FindFree()}";
        configuration["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{LoopbackPort.FindFree()}";
        configuration["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        configuration["AppHost:BrowserToken"] = browserToken;
    }
}
