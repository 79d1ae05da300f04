using FkHarness.Migrator;
using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// 025 down puts back exactly what 025 up took, whatever the column types and the session settings,
/// and finishes even when the table changed since: what cannot go back stays in the quarantine with
/// its reason and a WARNING naming table, id and reason (025 down's header lists each decision).
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class QuarantineRestoreTests(PostgresFixture fixture)
{
    private const string Rows = "SELECT t::text FROM dashboard_widgets AS t ORDER BY id";

    [Fact]
    public async Task Down_RestoresDeletedRowsByteForByte_WhateverTheColumnTypes()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE TYPE mood AS ENUM ('sad', 'happy');
            CREATE TYPE point2 AS (x integer, label text);
            CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
            CREATE DOMAIN doc AS json;
            ALTER TABLE dashboard_widgets
                ADD COLUMN j json, ADD COLUMN jd doc, ADD COLUMN bounded integer[], ADD COLUMN grid text[],
                ADD COLUMN f double precision, ADD COLUMN r real, ADD COLUMN n numeric(12, 4), ADD COLUMN ts timestamptz,
                ADD COLUMN local_ts timestamp(3), ADD COLUMN span interval, ADD COLUMN raw bytea, ADD COLUMN feeling mood,
                ADD COLUMN p point2, ADD COLUMN count positive, ADD COLUMN bits bit(5), ADD COLUMN code char(6),
                ADD COLUMN short varchar(10), ADD COLUMN address inet, ADD COLUMN "Odd Name" text, ADD COLUMN huge text;
            INSERT INTO users (user_id, email, display_name) VALUES ('usr_alice', 'a@example.com', 'Alice');
            INSERT INTO dashboard_widgets (user_id, widget_type, title, config, j, jd, bounded, grid, f, r, n, ts, local_ts, span, raw,
                                           feeling, p, count, bits, code, short, address, "Odd Name", huge)
            VALUES
                ('usr_alice', 'chart', 'kept', '{}', '{"z": 1}', '[]', '{1}', '{a}', 1, 1, 1, now(), now(), '1 day', '\x00', 'sad',
                 '(1,a)', 1, '00000', 'abc', 'x', '10.0.0.1', 'x', 'x'),
                ('ghost', 'chart', 'json as written', '{"b": 1, "a": [1, 2]}', '{"b":1,   "a" : [1,2], "b":2}', ' [ 1,2 ] ',
                 '[0:2]={1,2,3}', '[2:3][-1:0]={{a,"b c"},{NULL,"\\"}}', 1.0000000000000002, 0.1, 1.5000,
                 '2024-01-02 03:04:05.123456+05', '2024-02-01 03:04:05.5', '1 year 2 mons 3 days 04:05:06.789', '\x00ff7f',
                 'happy', '(1,"a, b")', 5, '10101', 'ab', 'pad  ', '192.168.0.0/16', 'odd', repeat('long line ', 100000)),
                ('ghost', 'chart', 'specials', '{}', 'null', NULL, '{}', '{}', 'NaN', '-Infinity', 0.0000, '-infinity',
                 'infinity', '-178000000 years', '', 'sad', '(,)', 1, '00000', '', '', '::1', '', ''),
                ('USR_ALICE', 'chart', 'nulls', '{}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            """);
        var rows = await database.ColumnAsync(Rows);
        var data = await TableChecksums.TakeAsync(database.ConnectionString);

        // Up under settings that print dates day-first and floats rounded; down under others.
        var up = await new UpgradeRunner().UpAsync(WithSettings(database, "-c DateStyle=SQL,DMY -c extra_float_digits=0 -c IntervalStyle=sql_standard -c TimeZone=America/New_York"), "025");
        Assert.True(up.Succeeded, up.Error?.Message);
        Assert.Equal(["kept"], await database.ColumnAsync("SELECT title FROM dashboard_widgets"));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM fk_fix.quarantine WHERE table_name = 'dashboard_widgets'"));
        var down = await new DowngradeRunner().DownAsync(WithSettings(database, "-c DateStyle=German,MDY -c extra_float_digits=-15 -c IntervalStyle=iso_8601 -c TimeZone=Asia/Kathmandu"), "024");
        Assert.True(down.Succeeded, down.Error?.Message);

        Assert.Equal(rows, await database.ColumnAsync(Rows));
        Assert.Equal(data, await TableChecksums.TakeAsync(database.ConnectionString));
        Assert.Equal("[0:2]={1,2,3}", await database.ScalarAsync<string>("SELECT bounded::text FROM dashboard_widgets WHERE title = 'json as written'"));
        Assert.Equal("{\"b\":1,   \"a\" : [1,2], \"b\":2}", await database.ScalarAsync<string>("SELECT j::text FROM dashboard_widgets WHERE title = 'json as written'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'fk_fix'"));
    }

    private static string WithSettings(TestDatabase database, string options) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { Options = options }.ConnectionString;

    [Fact]
    public async Task Down_AfterTheTableChanged_RestoresWhatItCan_KeepsTheRestWithAWarningAndFinishes()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("""
            INSERT INTO users (user_id, email, display_name) VALUES ('usr_alice', 'a@example.com', 'Alice'), ('usr_bob', 'b@example.com', 'Bob');
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES
                (1, 'usr_alice', 'chart', 'valid'), (2, 'ghost', 'chart', 'comes back'), (3, 'ghost', 'chart', 'id taken'),
                (4, 'ghost', 'chart', 'secret'), (5, 'ghost', 'chart', 'blocked');
            INSERT INTO user_preferences (id, user_id, preference_key, preference_value) VALUES (1, 'ghost', 'theme', 'dark'), (2, 'ghost', 'lang', 'en');
            INSERT INTO error_logs (id, user_id, severity, message) VALUES
                (1, 'ghost', 'error', 'comes back'), (2, 'ghost', 'error', 'changed since'), (3, 'ghost', 'error', 'row deleted since'),
                (4, '', 'error', 'refused by a new CHECK'), (5, 'ghost', 'error', 'set back to the same value');
            """);
        await FixMigrations.UpAsync(database, to: "025");
        await database.ExecuteAsync("""
            ALTER TABLE dashboard_widgets ADD COLUMN added_with_default text NOT NULL DEFAULT 'filled', ADD COLUMN added_nullable integer,
                ADD COLUMN title_length integer GENERATED ALWAYS AS (length(title)) STORED;
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (3, 'usr_bob', 'chart', 'a new row with id 3');
            ALTER TABLE dashboard_widgets ADD CONSTRAINT no_secrets CHECK (title <> 'secret') NOT VALID;
            CREATE FUNCTION refuse_blocked() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.title = 'blocked' THEN RAISE EXCEPTION 'the application refuses blocked widgets'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER app_refuse_blocked BEFORE INSERT ON dashboard_widgets FOR EACH ROW EXECUTE FUNCTION refuse_blocked();
            ALTER TABLE user_preferences ALTER COLUMN id SET GENERATED ALWAYS;
            UPDATE error_logs SET user_id = 'usr_bob' WHERE id = 2;
            DELETE FROM error_logs WHERE id = 3;
            ALTER TABLE error_logs ADD CONSTRAINT no_empty_user CHECK (user_id <> '') NOT VALID;
            -- The very value 025 took, written back by hand (possible only without 025's FK).
            ALTER TABLE error_logs DROP CONSTRAINT error_logs_user_id_fkey;
            UPDATE error_logs SET user_id = 'ghost' WHERE id = 5;
            """);

        var down = await Psql.RunFileAsync(database.ConnectionString, MigrationFiles.Down025);

        Assert.True(down.ExitCode == 0, down.StandardError);
        Assert.Equal(
            ["1 valid filled  5", "2 comes back filled  10", "3 a new row with id 3 filled  19"],
            await database.ColumnAsync("SELECT id || ' ' || title || ' ' || added_with_default || ' ' || coalesce(added_nullable::text, '') || ' ' || title_length FROM dashboard_widgets ORDER BY id"));
        Assert.Equal(["1 theme dark", "2 lang en"], await database.ColumnAsync("SELECT id || ' ' || preference_key || ' ' || preference_value FROM user_preferences ORDER BY id"));
        Assert.Equal(["1 ghost", "2 usr_bob", "4 <null>", "5 ghost"], await database.ColumnAsync("SELECT id || ' ' || coalesce(user_id, '<null>') FROM error_logs ORDER BY id"));
        var kept = await database.ColumnAsync("SELECT table_name || ' ' || row_id || ': ' || restore_failure FROM fk_fix.quarantine ORDER BY table_name, row_id");
        Assert.Collection(kept,
            row => Assert.Matches("^dashboard_widgets 3: .*dashboard_widgets_pkey.*SQLSTATE 23505", row),
            row => Assert.Matches("^dashboard_widgets 4: .*no_secrets.*SQLSTATE 23514", row),
            row => Assert.Matches("^dashboard_widgets 5: the application refuses blocked widgets \\(SQLSTATE P0001\\)", row),
            row => Assert.Equal("error_logs 2: value changed since 025 to 'usr_bob'; kept", row),
            row => Assert.Equal("error_logs 3: row deleted since 025", row),
            row => Assert.Matches("^error_logs 4: .*no_empty_user.*SQLSTATE 23514", row));
        foreach (var (table, id) in new[] { ("dashboard_widgets", 3), ("dashboard_widgets", 4), ("dashboard_widgets", 5), ("error_logs", 2), ("error_logs", 3), ("error_logs", 4) })
        {
            Assert.Contains($"WARNING:  025 down: {table}.", down.StandardError);
            Assert.Matches($"WARNING:  025 down: {table}\\.\\w+ id {id} not restored", down.StandardError);
        }

        Assert.Contains("fires its trigger(s) app_refuse_blocked", down.StandardError);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relkind = 'i' AND (relname LIKE '%\\_by' OR relname LIKE '%\\_user\\_id')"));
    }

    [Fact]
    public async Task Down_KeepsARowWhoseSavedColumnWasDropped_ButRestoresOneWhoseDroppedColumnWasNull()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("""
            ALTER TABLE dashboard_widgets ADD COLUMN note text;
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title, note) VALUES (1, 'ghost', 'chart', 'noted', 'a note'), (2, 'ghost', 'chart', 'no note', NULL);
            """);
        await FixMigrations.UpAsync(database, to: "025");
        await database.ExecuteAsync("ALTER TABLE dashboard_widgets DROP COLUMN note");

        var down = await Psql.RunFileAsync(database.ConnectionString, MigrationFiles.Down025);

        Assert.True(down.ExitCode == 0, down.StandardError);
        Assert.Equal(["2 no note"], await database.ColumnAsync("SELECT id || ' ' || title FROM dashboard_widgets ORDER BY id"));
        Assert.Equal(
            ["1: column(s) note no longer exist in dashboard_widgets (dropped or renamed since 025); their saved values would be lost"],
            await database.ColumnAsync("SELECT row_id || ': ' || restore_failure FROM fk_fix.quarantine"));
        Assert.Equal("a note", await database.ScalarAsync<string>("SELECT row_data ->> 'note' FROM fk_fix.quarantine"));
        Assert.Contains("WARNING:  025 down: dashboard_widgets.user_id id 1 not restored", down.StandardError);
    }

    [Fact]
    public async Task Down_RerunAfterTheCauseIsFixed_RestoresTheRowsLeftBehind()
    {
        await using var database = await BaselineTemplate.CreateAsync(fixture);
        await database.ExecuteAsync("INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, 'ghost', 'chart', 'secret')");
        var rows = await database.ColumnAsync(Rows);
        await FixMigrations.UpAsync(database, to: "025");
        await database.ExecuteAsync("ALTER TABLE dashboard_widgets ADD CONSTRAINT no_secrets CHECK (title <> 'secret') NOT VALID");
        await FixMigrations.DownAsync(database);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM fk_fix.quarantine"));

        await database.ExecuteAsync("ALTER TABLE dashboard_widgets DROP CONSTRAINT no_secrets");
        var again = await Psql.RunFileAsync(database.ConnectionString, MigrationFiles.Down025);

        Assert.True(again.ExitCode == 0, again.StandardError);
        Assert.Equal(rows, await database.ColumnAsync(Rows));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'fk_fix'"));
    }
}
