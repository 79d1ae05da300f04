using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FkHarness.AppHost.Postgres;

/// <summary>
/// Healthy once the server accepts a query: a started process is not yet a server (57P03 "starting up").
/// Aspire checks again only 1 s after an unhealthy answer (then 2 s, 3 s…), and the rehearsal waits
/// for healthy, so a server that needs a moment longer than the first try would cost a whole
/// second: the check itself retries every 50 ms for a short while before it answers unhealthy.
/// </summary>
internal sealed class LocalPostgresReadyCheck(string connectionString) : IHealthCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                if (clock.Elapsed + Pause >= Patience)
                {
                    return HealthCheckResult.Unhealthy(e.Message);
                }
            }

            await Task.Delay(Pause, cancellationToken);
        }
    }
}
