using System.Diagnostics;
using FkHarness.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FkHarness.Tests.Reliability;

/// <summary>
/// 026's array "FKs" under races, as a real FK behaves: one session writes an array referencing a
/// user (or alert condition) while another deletes (or re-keys) that user; with the triggers, never
/// both commit. Each iteration is one race in one of three orders: the write's transaction first
/// (the delete must wait for its FOR KEY SHARE lock, then see it), the delete's first (the write
/// must wait, then find the id gone), or both released at once.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class ArrayForeignKeyRaceTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private sealed record Race(string Name, string Write, string Remove, bool Condition = false);

    // @x: the user (or alert condition) raced for; @row: a row of the writer's own, for updates.
    private static readonly Race[] Races =
    [
        new("insert deployment_approvals vs delete user", "INSERT INTO deployment_approvals (deployment_id, approved_by) VALUES (1, ARRAY[@x])", "DELETE FROM users WHERE id = @x"),
        new("insert approval_rules vs delete user", "INSERT INTO approval_rules (name, environment, allowed_approvers) VALUES ('r', 'prod', ARRAY[1, @x])", "DELETE FROM users WHERE id = @x"),
        new("insert alert_escalations vs delete user", "INSERT INTO alert_escalations (condition_group_id, level, user_ids) VALUES (1, 1, ARRAY[@x])", "DELETE FROM users WHERE id = @x"),
        new("update deployment_approvals vs delete user", "UPDATE deployment_approvals SET approved_by = ARRAY[1, @x] WHERE id = @row", "DELETE FROM users WHERE id = @x"),
        new("insert deployment_approvals vs re-key user", "INSERT INTO deployment_approvals (deployment_id, approved_by) VALUES (1, ARRAY[@x])", "UPDATE users SET id = id + 1000000000 WHERE id = @x"),
        new("insert alert_condition_groups vs delete condition", "INSERT INTO alert_condition_groups (name, condition_ids) VALUES ('g', ARRAY[@x])", "DELETE FROM alert_conditions WHERE id = @x", Condition: true),
    ];

    private static readonly string[] Orders = ["write first", "remove first", "at once"];

    [Fact]
    public async Task AWriteReferencingAUser_RacingItsDelete_NeverBothCommit()
    {
        var figures = new ReliabilityFigures(output, "array-races");
        await using var db = await BaselineTemplate.CreateAsync(fixture);
        await db.ExecuteAsync("""
            INSERT INTO users (id, user_id, email, display_name) VALUES (1, 'usr_keeper', 'k@example.com', 'Keeper');
            INSERT INTO deployments (id, service_name, environment, version) VALUES (1, 'api', 'prod', '1.0');
            INSERT INTO alert_conditions (id, name, metric, comparison, threshold) VALUES (1, 'c', 'cpu', '>', 90);
            INSERT INTO alert_condition_groups (id, name, condition_ids) VALUES (1, 'g', '{1}');
            SELECT setval(pg_get_serial_sequence('users', 'id'), 100), setval(pg_get_serial_sequence('alert_conditions', 'id'), 100),
                   setval(pg_get_serial_sequence('alert_condition_groups', 'id'), 100);
            """);
        await FixMigrations.UpAsync(db);
        await using var setup = await db.OpenAsync();
        await using var writer = await db.OpenAsync();
        await using var remover = await db.OpenAsync();
        var iterations = Soak.Pick(240, 6000);
        var outcomes = new Dictionary<(string Race, string Outcome), int>();
        var waits = 0;
        var failures = new List<string>();

        for (var i = 0; i < iterations; i++)
        {
            var race = Races[i % Races.Length];
            var order = Orders[i / Races.Length % Orders.Length];
            var (x, row) = await PrepareAsync(setup, race, i);
            var (written, removed, waited) = await RunRaceAsync(writer, remover, race, order, x, row);
            waits += waited ? 1 : 0;
            var outcome = (written.Committed, removed.Committed) switch
            {
                (true, true) => "BOTH COMMITTED",
                (true, false) => "write committed, remove rejected",
                (false, true) => "remove committed, write rejected",
                _ => "both rejected",
            };
            outcomes[(race.Name, outcome)] = outcomes.GetValueOrDefault((race.Name, outcome)) + 1;
            foreach (var error in new[] { written.Error, removed.Error }.OfType<PostgresException>().Where(e => e.SqlState != PostgresErrorCodes.ForeignKeyViolation))
            {
                failures.Add($"#{i} {race.Name}, {order}: SQLSTATE {error.SqlState} {error.MessageText}");
            }

            if (written.Committed && removed.Committed)
            {
                failures.Add($"#{i} {race.Name}, {order}: both committed; an array now references a missing id {x}");
            }
        }

        figures.Line($"{iterations} races on a database with 026 applied ({Races.Length} kinds × {Orders.Length} orders), {waits} of them with one side seen waiting for the other's lock:");
        figures.Line("");
        figures.Line("| race | write committed, remove rejected (23503) | remove committed, write rejected (23503) | both rejected | both committed |");
        figures.Line("|---|---|---|---|---|");
        foreach (var race in Races)
        {
            int Count(string outcome) => outcomes.GetValueOrDefault((race.Name, outcome));
            figures.Line($"| {race.Name} | {Count("write committed, remove rejected")} | {Count("remove committed, write rejected")} | {Count("both rejected")} | {Count("BOTH COMMITTED")} |");
        }

        figures.Save();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM deployment_approvals AS d, unnest(d.approved_by) AS e (id) WHERE NOT EXISTS (SELECT FROM users WHERE id = e.id))
                 + (SELECT count(*) FROM approval_rules AS r, unnest(r.allowed_approvers) AS e (id) WHERE NOT EXISTS (SELECT FROM users WHERE id = e.id))
                 + (SELECT count(*) FROM alert_escalations AS a, unnest(a.user_ids) AS e (id) WHERE NOT EXISTS (SELECT FROM users WHERE id = e.id))
                 + (SELECT count(*) FROM alert_condition_groups AS g, unnest(g.condition_ids) AS e (id) WHERE NOT EXISTS (SELECT FROM alert_conditions WHERE id = e.id))
            """));
        Assert.True(waits >= iterations / 3, $"Only {waits} of {iterations} races had one side waiting: the races did not overlap.");
    }

    /// <summary>A fresh user (or alert condition) to race for, and a row of the writer's own for the update race.</summary>
    private static async Task<(long X, long Row)> PrepareAsync(NpgsqlConnection setup, Race race, int i)
    {
        var sql = race.Condition
            ? "INSERT INTO alert_conditions (name, metric, comparison, threshold) VALUES ('raced', 'cpu', '>', 1) RETURNING id"
            : $"INSERT INTO users (user_id, email, display_name) VALUES ('usr_raced{i}', 'r@example.com', 'Raced') RETURNING id";
        await using var create = new NpgsqlCommand(sql, setup);
        var x = (long)(await create.ExecuteScalarAsync())!;
        await using var own = new NpgsqlCommand("INSERT INTO deployment_approvals (deployment_id, approved_by) VALUES (1, '{1}') RETURNING id", setup);
        return (x, (long)(await own.ExecuteScalarAsync())!);
    }

    private sealed record Side(bool Committed, Exception? Error, TimeSpan StatementTime);

    private static async Task<(Side Written, Side Removed, bool Waited)> RunRaceAsync(
        NpgsqlConnection writer, NpgsqlConnection remover, Race race, string order, long x, long row)
    {
        var hold = TimeSpan.FromMilliseconds(15);
        Task<Side> write, remove;
        switch (order)
        {
            case "write first":
                var writeStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                write = SideAsync(writer, race.Write, x, row, afterStatement: writeStarted, hold: hold);
                await writeStarted.Task;
                remove = SideAsync(remover, race.Remove, x, row);
                break;
            case "remove first":
                var removeStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                remove = SideAsync(remover, race.Remove, x, row, afterStatement: removeStarted, hold: hold);
                await removeStarted.Task;
                write = SideAsync(writer, race.Write, x, row);
                break;
            default:
                var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                write = Task.Run(async () => { await go.Task; return await SideAsync(writer, race.Write, x, row); });
                remove = Task.Run(async () => { await go.Task; return await SideAsync(remover, race.Remove, x, row); });
                go.SetResult();
                break;
        }

        var sides = await Task.WhenAll(write, remove).WaitAsync(TimeSpan.FromSeconds(60));
        var waited = sides.Any(s => s.StatementTime >= hold * 0.8);
        return (sides[0], sides[1], waited);
    }

    /// <summary>BEGIN; the statement; (signal, hold the transaction open a moment); COMMIT. A failure rolls back.</summary>
    private static async Task<Side> SideAsync(NpgsqlConnection connection, string sql, long x, long row, TaskCompletionSource? afterStatement = null, TimeSpan hold = default)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var clock = Stopwatch.StartNew();
        try
        {
            await using (var command = new NpgsqlCommand(sql, connection, transaction))
            {
                command.Parameters.AddWithValue("x", x);
                command.Parameters.AddWithValue("row", row);
                await command.ExecuteNonQueryAsync();
            }

            var statementTime = clock.Elapsed;
            afterStatement?.SetResult();
            if (hold > TimeSpan.Zero)
            {
                await Task.Delay(hold);
            }

            await transaction.CommitAsync();
            return new Side(true, null, statementTime);
        }
        catch (PostgresException e)
        {
            afterStatement?.TrySetResult();
            await transaction.RollbackAsync();
            return new Side(false, e, clock.Elapsed);
        }
    }
}
