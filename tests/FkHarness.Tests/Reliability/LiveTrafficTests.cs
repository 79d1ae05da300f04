using System.Globalization;
using FkHarness.Rehearsal.Traffic;
using FkHarness.Seeder.Manifest;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// Live traffic during the migration: writers insert, update and delete in 025's nine tables, 026's
/// four array tables and users, valid rows and orphans, from before `up` starts until after it ends.
/// Afterwards no orphan slipped in, no acknowledged write was lost, every rejection was 23503, and no
/// writer waited longer than the migration's lock_timeout (1 s) plus a margin.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class LiveTrafficTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(1);

    // A writer queued behind a DDL waits at most the DDL's lock_timeout; the margin is for a busy
    // 2-core machine (the migrator, the server, the writers and other tests share it), where even
    // an unblocked statement is sometimes scheduled late.
    private static readonly TimeSpan StallMargin = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task WritersDuringUp_LoseNothing_LetNoOrphanIn_AndAreRejectedOnlyWith23503()
    {
        var figures = new ReliabilityFigures(output, "live-traffic");
        var (db, manifest) = await ReliabilityDatabases.SeededAsync(fixture);
        await using var _ = db;
        await using var observer = await db.OpenAsync();
        var world = await TrafficWorld.ReadAsync(observer);
        var migration = new MigrationFlag();
        var writers = Enumerable.Range(1, Soak.Pick(4, 8)).Select(n => new TrafficWriter(n, world, migration, db.ConnectionString)).ToList();

        using var stop = new CancellationTokenSource();
        var traffic = writers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(500));  // writing before the migration starts, too
        using var migrator = MigratorProcess.Start(db.ConnectionString, "up");
        var exit = await migrator.WaitAsync(TimeSpan.FromMinutes(5));
        var migrationTime = migrator.Elapsed;
        migration.MarkDone();
        await Task.Delay(Soak.Pick(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));  // and after it
        await stop.CancelAsync();
        await Task.WhenAll(traffic).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(exit == 0, "up failed under traffic:\n" + migrator.AllOutput);
        var violations = writers.SelectMany(w => w.Violations).ToList();
        violations.AddRange(await LostOrChangedWritesAsync(observer, writers));
        violations.AddRange(await OrphansLeftAsync(observer, writers, world));
        violations.AddRange(await SeededQuarantineMismatchesAsync(observer, manifest, world));
        Report(figures, writers, migrator, migrationTime);
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(30)));

        var longest = writers.Max(w => w.Longest.Ms);
        Assert.True(longest < (LockTimeout + StallMargin).TotalMilliseconds, $"A writer waited {longest:0} ms.");
    }

    /// <summary>Every acknowledged write of a writer's own rows is there as written, or 025 quarantined it as an orphan.</summary>
    private static async Task<List<string>> LostOrChangedWritesAsync(NpgsqlConnection observer, List<TrafficWriter> writers)
    {
        var problems = new List<string>();
        var users = await SetAsync(observer, "SELECT user_id FROM users WHERE user_id IS NOT NULL", r => r.GetString(0));
        var userIds = await SetAsync(observer, "SELECT id FROM users", r => r.GetInt64(0));
        foreach (var writer in writers)
        {
            foreach (var ((table, id), written) in writer.TextRows.Concat(writer.TextRowsFoundGone))
            {
                var spec = TrafficTables.Text.Single(t => t.Name == table);
                var row = await RowValueAsync(observer, spec, id);
                var quarantined = await QuarantinedValueAsync(observer, table, id);
                var kept = row.Found && row.Value == written && users.Contains(written);
                var cleaned = quarantined is not null && quarantined.Value.OldValue == written && !users.Contains(written)
                    && (spec.OrphansAreDeleted ? !row.Found : row.Found && row.Value is null);
                if (!kept && !cleaned)
                {
                    problems.Add($"{table} #{id}: written '{written}', found {(row.Found ? $"'{row.Value ?? "NULL"}'" : "no row")}, " +
                                 $"quarantine {(quarantined is null ? "none" : $"{quarantined.Value.Action} '{quarantined.Value.OldValue}'")}");
                }
            }

            foreach (var (table, id) in writer.DeletedTextRows)
            {
                if ((await RowValueAsync(observer, TrafficTables.Text.Single(t => t.Name == table), id)).Found)
                {
                    problems.Add($"{table} #{id}: deleted by writer {writer.Number}, but still there");
                }
            }

            problems.AddRange(writer.Users.Keys.Where(id => !userIds.Contains(id)).Select(id => $"users #{id}: inserted, never deleted, but gone"));
            problems.AddRange(writer.DeletedUsers.Where(userIds.Contains).Select(id => $"users #{id}: deleted, but still there"));
            foreach (var ((table, id), written) in writer.ArrayRows)
            {
                var spec = TrafficTables.Arrays.Single(a => a.Name == table);
                var found = await ArrayValueAsync(observer, spec, id);
                if (found is null || !found.SequenceEqual(written))
                {
                    problems.Add($"{table} #{id}: written {{{string.Join(',', written)}}}, found {(found is null ? "no row" : $"{{{string.Join(',', found)}}}")}");
                }
            }

            foreach (var (table, id) in writer.DeletedArrayRows)
            {
                if (await ArrayValueAsync(observer, TrafficTables.Arrays.Single(a => a.Name == table), id) is not null)
                {
                    problems.Add($"{table} #{id}: deleted by writer {writer.Number}, but still there");
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// No text orphan anywhere (the nine FKs validated and the audit's anti-join empty); array orphans only
    /// where the seeder planted them or where a writer's orphan write or user delete was accepted before
    /// 026's guards existed (the legacy rows 026 leaves by design); none that a user delete made after the migration.
    /// </summary>
    private static async Task<List<string>> OrphansLeftAsync(NpgsqlConnection observer, List<TrafficWriter> writers, TrafficWorld world)
    {
        var problems = new List<string>();
        var validated = await SetAsync(observer,
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass AND convalidated", r => r.GetString(0));
        foreach (var table in TrafficTables.Text)
        {
            if (!validated.Contains($"{table.Name}_{table.Column}_fkey"))
            {
                problems.Add($"{table.Name}_{table.Column}_fkey is missing or not validated");
            }

            var orphans = await SetAsync(observer,
                $"SELECT t.id FROM {table.Name} AS t WHERE t.{table.Column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users AS u WHERE u.user_id = t.{table.Column})",
                r => r.GetInt64(0));
            problems.AddRange(orphans.Select(id => $"{table.Name} #{id}: an orphan {table.Column} slipped in"));
        }

        var ownOrphanRows = writers.SelectMany(w => w.ArrayRows.Keys).ToHashSet();
        var deletedAfter = writers.SelectMany(w => w.UsersDeletedAfterMigration).ToHashSet();
        foreach (var table in TrafficTables.Arrays)
        {
            var target = table.ReferencesUsers ? "users" : "alert_conditions";
            var rows = await SetAsync(observer,
                $"SELECT t.id || ':' || e.id FROM {table.Name} AS t CROSS JOIN LATERAL unnest(t.{table.Column}) AS e (id) " +
                $"WHERE e.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {target} AS x WHERE x.id = e.id)",
                r => r.GetString(0));
            foreach (var pair in rows)
            {
                var id = long.Parse(pair.Split(':')[0], CultureInfo.InvariantCulture);
                var element = long.Parse(pair.Split(':')[1], CultureInfo.InvariantCulture);
                if (deletedAfter.Contains(element))
                {
                    problems.Add($"{table.Name} #{id} holds user {element}, deleted after the migration had finished");
                }
                else if (id > world.MaxIdsAtStart[table.Name] && !ownOrphanRows.Contains((table.Name, id)))
                {
                    problems.Add($"{table.Name} #{id}: an orphan element {element} that no acknowledged write explains");
                }
            }
        }

        return problems;
    }

    /// <summary>025 quarantined exactly the rows the seeder planted as orphans: traffic changed nothing about the seeded data's cleanup.</summary>
    private static async Task<List<string>> SeededQuarantineMismatchesAsync(NpgsqlConnection observer, OrphanManifest manifest, TrafficWorld world)
    {
        var problems = new List<string>();
        foreach (var table in TrafficTables.Text)
        {
            var expected = manifest.For(table.Name, table.Column).Planted
                .Where(p => p.ExpectedAction != ExpectedAction.Leave).Select(p => p.Id).ToHashSet();
            var quarantined = await SetAsync(observer,
                $"SELECT row_id FROM fk_fix.quarantine WHERE table_name = '{table.Name}' AND row_id <= {world.MaxIdsAtStart[table.Name]}",
                r => r.GetInt64(0));
            if (!quarantined.SetEquals(expected))
            {
                problems.Add($"{table.Name}: quarantined seeded rows differ from the manifest: " +
                             $"missing {string.Join(',', expected.Except(quarantined).Take(5))}, extra {string.Join(',', quarantined.Except(expected).Take(5))}");
            }
        }

        return problems;
    }

    private static void Report(ReliabilityFigures figures, List<TrafficWriter> writers, MigratorProcess migrator, TimeSpan migrationTime)
    {
        var latencies = writers.SelectMany(w => w.LatenciesMs).Order().ToList();
        var longest = writers.MaxBy(w => w.Longest.Ms)!;
        var outcomes = writers.SelectMany(w => w.Outcomes)
            .GroupBy(o => o.Key, o => o.Value)
            .ToDictionary(g => g.Key, g => (Accepted: g.Sum(v => v.Accepted), Rejected: g.Sum(v => v.Rejected)));
        figures.Line($"{writers.Count} writers during `up` (025 + 026, {migrationTime.TotalSeconds:0.0} s for the migrator process) on a seeded database at scale " +
                     $"{ReliabilityDatabases.Scale.ToString(CultureInfo.InvariantCulture)}: {latencies.Count} writes, " +
                     $"{outcomes.Values.Sum(o => o.Accepted)} acknowledged, {outcomes.Values.Sum(o => o.Rejected)} rejected with 23503, none with anything else.");
        figures.Line($"Statement latency: median {Percentile(latencies, 0.5):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, " +
                     $"longest {longest.Longest.Ms:0} ms ({longest.Longest.Write}); bound {(LockTimeout + StallMargin).TotalMilliseconds:0} ms.");
        figures.Line($"Migrator lock_timeout retries: {CountOf(migrator.StandardError, "hit lock_timeout")}.");
        figures.Line("");
        figures.Line("| write | acknowledged | rejected (23503) | longest (ms) |");
        figures.Line("|---|---|---|---|");
        foreach (var (kind, (accepted, rejected)) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var slowest = writers.Max(w => w.LongestByKind.GetValueOrDefault(kind.Replace(" (row gone)", "", StringComparison.Ordinal)));
            figures.Line($"| {kind} | {accepted} | {rejected} | {slowest:0} |");
        }

        figures.Save();
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, p * sorted.Count)];

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;

    /// <summary>Whether the row exists, and its user column (null: SQL NULL).</summary>
    private static async Task<(bool Found, string? Value)> RowValueAsync(NpgsqlConnection observer, TextTable table, long id)
    {
        await using var command = new NpgsqlCommand($"SELECT {table.Column} FROM {table.Name} WHERE id = @id", observer);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (true, reader.IsDBNull(0) ? null : reader.GetString(0)) : (false, null);
    }

    private static async Task<(string Action, string? OldValue)?> QuarantinedValueAsync(NpgsqlConnection observer, string table, long id)
    {
        await using var command = new NpgsqlCommand("SELECT action, old_value FROM fk_fix.quarantine WHERE table_name = @t AND row_id = @id", observer);
        command.Parameters.AddWithValue("t", table);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : null;
    }

    private static async Task<long[]?> ArrayValueAsync(NpgsqlConnection observer, ArrayTable table, long id)
    {
        await using var command = new NpgsqlCommand($"SELECT {table.Column} FROM {table.Name} WHERE id = @id", observer);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? reader.GetFieldValue<long[]>(0) : null;
    }

    private static async Task<HashSet<T>> SetAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new HashSet<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
