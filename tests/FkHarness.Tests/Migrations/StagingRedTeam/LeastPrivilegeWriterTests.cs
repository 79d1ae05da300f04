using FkHarness.Tests.Infrastructure;
using FkHarness.Tests.Migrations.Staging;
using Npgsql;

namespace FkHarness.Tests.Migrations.StagingRedTeam;

/// <summary>
/// The whole fix as staging runs it: 025 and 026 up and down by the role owning the tables, the
/// application writing with a role that has INSERT/UPDATE on its own tables and no privilege at all
/// on users (a native FK needs none), and an admin with DELETE on users only.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class LeastPrivilegeWriterTests(PostgresFixture fixture)
{
    [Fact]
    public async Task UpByTheOwner_ThenTheWriterAndTheAdmin_GetWhatNativeForeignKeysWouldGive_AndDownRestoresAll()
    {
        await using var owner = await TestRole.CreateAsync(fixture);
        await using var writer = await TestRole.CreateAsync(fixture);
        await using var admin = await TestRole.CreateAsync(fixture);
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            INSERT INTO users (id, user_id, email, display_name, created_at) VALUES (3, 'usr_carol', 'carol@example.com', 'Carol', '2026-01-01Z');
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'x');
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, 'usr_gone', 'chart', 'orphan');
            INSERT INTO deployment_approvals (id, deployment_id, approved_by) VALUES (1, 1, '{1}');
            """);
        await owner.OwnApplicationTablesAsync(database);
        await database.ExecuteAsync($"""
            GRANT USAGE ON SCHEMA public TO {writer.Name}, {admin.Name};
            GRANT INSERT, UPDATE ON error_logs, dashboard_widgets, deployment_approvals, alert_escalations TO {writer.Name};
            GRANT SELECT (id) ON error_logs, deployment_approvals TO {writer.Name};
            GRANT SELECT, DELETE ON users TO {admin.Name};
            """);
        var before = await RoundTrip.SnapshotAsync(database);

        Assert.Null(await RoundTrip.UpAsync(owner.ConnectionStringFor(database)));

        await using (var app = new NpgsqlConnection(writer.ConnectionStringFor(database)))
        {
            await app.OpenAsync();
            Assert.Null(await SqlStateAsync(app, "INSERT INTO error_logs (id, user_id, severity, message) VALUES (2, 'usr_bob', 'error', 'ok')"));
            await ExecuteAsync(app, "INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (2, 'usr_alice', 'chart', 'ok')");
            await ExecuteAsync(app, "INSERT INTO deployment_approvals (id, deployment_id, approved_by) VALUES (2, 1, '{1,2}')");
            await ExecuteAsync(app, "UPDATE deployment_approvals SET approved_by = '{2}' WHERE id = 2");
            Assert.Equal("23503", await SqlStateAsync(app, "INSERT INTO error_logs (id, user_id, severity, message) VALUES (3, 'usr_none', 'error', 'no')"));
            Assert.Equal("23503", await SqlStateAsync(app, "INSERT INTO deployment_approvals (id, deployment_id, approved_by) VALUES (3, 1, '{999}')"));
            Assert.Equal("23503", await SqlStateAsync(app, "UPDATE deployment_approvals SET approved_by = '{998}' WHERE id = 2"));
        }

        await using (var users = new NpgsqlConnection(admin.ConnectionStringFor(database)))
        {
            await users.OpenAsync();
            await ExecuteAsync(users, "DELETE FROM users WHERE id = 3");
            Assert.Equal("23503", await SqlStateAsync(users, "DELETE FROM users WHERE id = 1"));
            Assert.Equal("23503", await SqlStateAsync(users, "DELETE FROM users WHERE id = 2"));
        }

        await database.ExecuteAsync("""
            DELETE FROM error_logs WHERE id = 2; DELETE FROM dashboard_widgets WHERE id = 2; DELETE FROM deployment_approvals WHERE id = 2;
            INSERT INTO users (id, user_id, email, display_name, created_at) VALUES (3, 'usr_carol', 'carol@example.com', 'Carol', '2026-01-01Z');
            """);
        Assert.Null(await RoundTrip.DownAsync(owner.ConnectionStringFor(database)));
        Assert.Equal(before, await RoundTrip.SnapshotAsync(database));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> SqlStateAsync(NpgsqlConnection connection, string sql)
    {
        try
        {
            await ExecuteAsync(connection, sql);
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState == "23503" ? e.SqlState : $"{e.SqlState} {e.MessageText} where {e.Where}";
        }
    }
}
