using System.Diagnostics;
using FkHarness.Benchmarks.Infrastructure;
using Npgsql;

namespace FkHarness.Benchmarks.TriggerCost;

/// <summary>
/// The referenced side: deleting <see cref="TriggerCostOptions.GuardDeletes"/> users nothing
/// references, in one statement (rolled back, so every run deletes the same rows), with 026's
/// guard and without; a native FK with an index for scale.
/// </summary>
internal sealed class GuardBenchmark(BenchSessions sessions, TriggerCostOptions options)
{
    private const string DeleteGuard = "trg_check_users_array_refs_delete";
    private static readonly string[] ArrayTables = ["deployment_approvals", "alert_escalations", "approval_rules"];

    /// <summary>Array tables full of references to the ordinary users (triggers on), the native twin too.</summary>
    public async Task FillAsync(CancellationToken cancellationToken)
    {
        var users = options.Users;
        await sessions.ExecuteAsync($"""
            TRUNCATE deployment_approvals, {InsertShape.NativeTable};
            {InsertShape.Native.Switch(on: false)};
            INSERT INTO deployment_approvals (deployment_id, approved_by)
            SELECT 1 + g % 1000, ARRAY[1 + (g::bigint * 7919) % {users}, 1 + (g::bigint * 104729) % {users}, 1 + (g::bigint * 15485863) % {users}]
            FROM generate_series(1, 200000) AS g;
            INSERT INTO alert_escalations (condition_group_id, level, user_ids)
            SELECT 1 + g % 1000, 1 + g % 3, ARRAY[1 + (g::bigint * 7919) % {users}, 1 + (g::bigint * 104729) % {users}]
            FROM generate_series(1, 50000) AS g;
            INSERT INTO approval_rules (name, environment, allowed_approvers)
            SELECT 'rule ' || g, 'production', ARRAY[1 + (g::bigint * 7919) % {users}, 1 + (g::bigint * 104729) % {users}, 1 + (g::bigint * 15485863) % {users}]
            FROM generate_series(1, 5000) AS g;
            INSERT INTO {InsertShape.NativeTable} (deployment_id, approved_by)
            SELECT 1 + g % 1000, 1 + (g::bigint * 7919) % {users} FROM generate_series(1, 100000) AS g;
            CREATE INDEX IF NOT EXISTS bench_native_approvals_approved_by ON {InsertShape.NativeTable} (approved_by);
            """, cancellationToken);
        await sessions.ExecuteAsync($"VACUUM ANALYZE deployment_approvals, alert_escalations, approval_rules, {InsertShape.NativeTable}, users", cancellationToken);
    }

    public async Task<Measurement> DeleteAsync(GuardVariant variant, CancellationToken cancellationToken)
    {
        await sessions.ExecuteAsync(InsertShape.Native.Switch(on: variant == GuardVariant.NativeForeignKey), cancellationToken);
        await using var transaction = await sessions.Bulk.BeginTransactionAsync(cancellationToken);
        if (variant != GuardVariant.ArrayGuard)
        {
            await ExecuteAsync($"ALTER TABLE users DISABLE TRIGGER {DeleteGuard}", transaction, cancellationToken);
        }

        var cpu = BackendCpu.Read(sessions.BulkPid);
        var clock = Stopwatch.StartNew();
        var deleted = await ExecuteAsync(DeleteSql, transaction, cancellationToken);
        var measurement = new Measurement(clock.Elapsed, BackendCpu.Read(sessions.BulkPid) - cpu);
        await transaction.RollbackAsync(cancellationToken);
        return deleted == options.GuardDeletes
            ? measurement
            : throw new InvalidOperationException($"Expected to delete {options.GuardDeletes} users, deleted {deleted}.");
    }

    /// <summary>One guarded delete with auto_explain on: the plans of the guard's own queries, and the array tables' scan counters.</summary>
    public async Task<GuardEvidence> EvidenceAsync(CancellationToken cancellationToken)
    {
        await sessions.ExecuteAsync(InsertShape.Native.Switch(on: false), cancellationToken);
        var before = await CountersAsync(cancellationToken);
        var plans = new List<string>();
        void Collect(object sender, NpgsqlNoticeEventArgs e) => plans.Add(e.Notice.MessageText);
        sessions.Bulk.Notice += Collect;
        try
        {
            await using var transaction = await sessions.Bulk.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync("""
                LOAD 'auto_explain';
                SET LOCAL auto_explain.log_min_duration = 0;
                SET LOCAL auto_explain.log_nested_statements = on;
                SET LOCAL auto_explain.log_analyze = on;
                SET LOCAL auto_explain.log_timing = off;
                SET LOCAL auto_explain.log_level = notice;
                """, transaction, cancellationToken);
            await ExecuteAsync(DeleteSql, transaction, cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
        }
        finally
        {
            sessions.Bulk.Notice -= Collect;
        }

        var after = await CountersAsync(cancellationToken);
        var counters = ArrayTables.Select(t => (t, after[t].Seq - before[t].Seq, after[t].Idx - before[t].Idx)).ToList();
        var guardPlans = plans.Where(p => ArrayTables.Any(t => p.Contains(t, StringComparison.Ordinal)) && !p.Contains("DELETE FROM users", StringComparison.Ordinal));
        var lines = guardPlans.SelectMany(p => p.Split('\n'))
            .Where(l => l.Contains("Scan", StringComparison.Ordinal) || l.Contains("Join", StringComparison.Ordinal) || l.Contains("Cond:", StringComparison.Ordinal))
            .Select(l => l.TrimEnd())
            .ToList();
        return new GuardEvidence(counters, lines);
    }

    private string DeleteSql => $"DELETE FROM users WHERE id >= {TriggerCostDatabase.FirstGuardUser} AND id < {TriggerCostDatabase.FirstGuardUser + options.GuardDeletes}";

    private async Task<Dictionary<string, (long Seq, long Idx)>> CountersAsync(CancellationToken cancellationToken)
    {
        // Statistics reach the shared counters with a delay: flush ours, then read past our snapshot.
        await sessions.ExecuteAsync("SELECT pg_stat_force_next_flush()", cancellationToken);
        await Task.Delay(50, cancellationToken);
        await sessions.ExecuteAsync("SELECT pg_stat_clear_snapshot()", cancellationToken);
        var counters = new Dictionary<string, (long, long)>();
        await using var command = new NpgsqlCommand(
            "SELECT relname, seq_scan, coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = ANY ($1)", sessions.Bulk);
        command.Parameters.AddWithValue(ArrayTables);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counters[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }

        return counters;
    }

    private async Task<int> ExecuteAsync(string sql, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, sessions.Bulk, transaction) { CommandTimeout = 0 };
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
