using System.Security.Cryptography;
using Npgsql;

namespace FkHarness.Provisioning;

/// <summary>
/// Fresh copies of one template database, made one ahead of demand: whoever asks gets a clone that
/// is (usually) already there, and the next one is made in the background meanwhile. A clone is
/// CREATE DATABASE … TEMPLATE, which PostgreSQL 15 makes by copying the template block by block
/// through the WAL, system catalogs included: tens to hundreds of milliseconds a caller (a test)
/// need not sit through. The template must not be connected to (ALLOW_CONNECTIONS false) while
/// clones are made. Clones never taken are left to whoever drops the server.
/// </summary>
public sealed class TemplateClonePool(string adminConnectionString, string template, string prefix = "t_")
{
    private readonly Queue<Task<string>> ahead = new();
    private readonly Lock gate = new();

    /// <summary>The name of a new database cloned from the template, now the caller's to use and drop.</summary>
    /// <param name="cancellationToken">Stops waiting; the clone, if made, is left to whoever drops the server.</param>
    public Task<string> TakeAsync(CancellationToken cancellationToken = default)
    {
        Task<string> next;
        lock (gate)
        {
            // The replacement starts before the caller waits, so it overlaps the caller's own work.
            while (ahead.Count < 2)
            {
                ahead.Enqueue(CloneAsync());
            }

            next = ahead.Dequeue();
        }

        return next.WaitAsync(cancellationToken);
    }

    private async Task<string> CloneAsync()
    {
        var name = prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        // Pooled: an admin connection is to the postgres database, which is never cloned or dropped,
        // so an idle one blocks nothing; opening one per clone (TCP, SCRAM) cost as much as a small clone.
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }
}
