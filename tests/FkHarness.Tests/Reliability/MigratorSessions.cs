using System.Diagnostics;
using Npgsql;

namespace FkHarness.Tests.Reliability;

/// <summary>The server-side sessions of migrators (application_name fkharness-migrator) on one database, and the locks they hold.</summary>
internal static class MigratorSessions
{
    private const string CountSql = """
        SELECT count(DISTINCT a.pid)::int, count(l.*)::int
        FROM pg_stat_activity AS a LEFT JOIN pg_locks AS l ON l.pid = a.pid AND l.granted
        WHERE a.datname = @db AND a.application_name = 'fkharness-migrator'
        """;

    /// <summary>(sessions, granted locks) of migrators on <paramref name="database"/> right now.</summary>
    public static async Task<(int Sessions, int Locks)> CountAsync(NpgsqlConnection observer, string database)
    {
        await using var command = new NpgsqlCommand(CountSql, observer);
        command.Parameters.AddWithValue("db", database);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    /// <summary>
    /// Polls until no migrator session is left on <paramref name="database"/>, and returns how long
    /// that took from <paramref name="since"/> (the kill). Fails after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilGoneAsync(string adminConnectionString, string database, Stopwatch since, TimeSpan timeout)
    {
        await using var observer = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false, ApplicationName = "fkharness-observer" }.ConnectionString);
        await observer.OpenAsync();
        while (true)
        {
            var (sessions, locks) = await CountAsync(observer, database);
            if (sessions == 0)
            {
                return since.Elapsed;
            }

            if (since.Elapsed > timeout)
            {
                throw new TimeoutException($"{sessions} migrator session(s) holding {locks} lock(s) were still on {database} {since.Elapsed.TotalSeconds:0.0} s after the kill.");
            }

            await Task.Delay(10);
        }
    }
}
