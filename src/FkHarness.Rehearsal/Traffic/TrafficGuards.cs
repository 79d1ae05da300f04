using System.Collections.Concurrent;
using Npgsql;

namespace FkHarness.Rehearsal.Traffic;

/// <summary>
/// Whether a table's FK (025, <c>&lt;table&gt;_&lt;column&gt;_fkey</c>) or array trigger (026,
/// <c>trg_check_…</c>) exists yet. A writer tries an invalid write only where it does: before, the
/// write would be accepted and become an orphan 025 quarantines, changing what the rehearsal
/// verifies. Once seen, a guard stays (the migrations only add them while the writers run), so
/// "guarded" is remembered and "not yet" asked again.
/// </summary>
internal sealed class TrafficGuards
{
    private readonly ConcurrentDictionary<string, bool> _guarded = new(StringComparer.Ordinal);

    public async Task<bool> IsGuardedAsync(NpgsqlConnection connection, string table, string column, bool array, CancellationToken cancellationToken)
    {
        if (_guarded.ContainsKey(table))
        {
            return true;
        }

        const string Constraint = "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass('public.' || $1) AND contype = 'f' AND conname = $2)";
        const string Trigger = "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass('public.' || $1) AND tgname LIKE 'trg\\_check\\_%' AND tgenabled <> 'D')";
        await using var command = new NpgsqlCommand(array ? Trigger : Constraint, connection);
        command.Parameters.AddWithValue(table);
        if (!array)
        {
            command.Parameters.AddWithValue($"{table}_{column}_fkey");
        }

        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            _guarded[table] = true;
            return true;
        }

        return false;
    }
}
