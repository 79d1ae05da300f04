using FkHarness.Tests.Infrastructure;

namespace FkHarness.Tests.Migrations.Staging;

/// <summary>
/// The application's triggers and rules on the cleanup's write (DELETE of a required column's
/// rows, UPDATE of a nullable column): 025 refuses upfront where they would fire (there are
/// orphans to remove), since the quarantine could not undo what they do; elsewhere it runs.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class ApplicationTriggerTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Up_WhenABeforeDeleteTriggerWouldCancelTheDelete_IsRefusedBeforeChangingAnything()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE FUNCTION public.keep_widgets() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            CREATE TRIGGER keep_widgets BEFORE DELETE ON dashboard_widgets FOR EACH ROW EXECUTE FUNCTION public.keep_widgets();
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, 'usr_gone', 'chart', 't');
            """);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(database.ConnectionString);

        Assert.NotNull(error);
        Assert.Equal("55000", error.SqlState);
        Assert.Contains("dashboard_widgets.user_id holds orphans", error.Message);
        Assert.Contains("trigger keep_widgets", error.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_WhenABeforeUpdateTriggerWouldChangeAnotherColumn_IsRefusedBeforeChangingAnything()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.message := NEW.message || ' (edited)'; RETURN NEW; END $$;
            CREATE TRIGGER touch BEFORE UPDATE ON error_logs FOR EACH ROW EXECUTE FUNCTION public.touch();
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_gone', 'error', 'boom');
            """);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(database.ConnectionString);

        Assert.NotNull(error);
        Assert.Equal("55000", error.SqlState);
        Assert.Contains("error_logs.user_id holds orphans", error.Message);
        Assert.Contains("trigger touch", error.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_WhenTheTriggersTableHasNoOrphans_OrTheTriggerWatchesOtherColumns_RunsAndLeavesTheirRowsAlone()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.message := NEW.message || ' (edited)'; RETURN NEW; END $$;
            CREATE TRIGGER touch_any BEFORE UPDATE ON error_logs FOR EACH ROW EXECUTE FUNCTION public.touch();
            CREATE TRIGGER touch_status BEFORE UPDATE OF status ON deployment_queue FOR EACH ROW EXECUTE FUNCTION public.touch();
            INSERT INTO error_logs (id, user_id, severity, message) VALUES (1, 'usr_alice', 'error', 'boom');
            INSERT INTO deployment_queue (id, deployment_id, requested_by) VALUES (1, 1, 'usr_gone');
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(["deployment_queue#1 set_null 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal("boom", await database.ScalarAsync<string>("SELECT message FROM error_logs WHERE id = 1"));
        Assert.Equal(9L, await StagingSchema.ValidatedForeignKeysAsync(database));
    }

    [Fact]
    public async Task Up_WhenAnAfterDeleteTriggerWouldWriteElsewhere_IsRefused()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE TABLE public.preference_history (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text);
            CREATE FUNCTION public.remember() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.preference_history (what) VALUES (OLD.preference_key); RETURN OLD; END $$;
            CREATE TRIGGER remember AFTER DELETE ON user_preferences FOR EACH ROW EXECUTE FUNCTION public.remember();
            INSERT INTO user_preferences (id, user_id, preference_key, preference_value) VALUES (1, '', 'theme', 'dark');
            """);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(database.ConnectionString);

        Assert.Equal("55000", error?.SqlState);
        Assert.Contains("trigger remember", error!.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_WhenADoInsteadRuleRewritesTheDelete_IsRefusedBeforeChangingAnything()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE RULE soft_delete AS ON DELETE TO dashboard_widgets DO INSTEAD UPDATE dashboard_widgets SET title = 'deleted' WHERE id = OLD.id;
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, 'usr_gone', 'chart', 't');
            """);
        var before = await StagingSchema.StateAsync(database);

        var error = await StagingSchema.Up025Async(database.ConnectionString);

        Assert.Equal("55000", error?.SqlState);
        Assert.Contains("rule soft_delete", error!.Message);
        Assert.Equal(before, await StagingSchema.StateAsync(database));
    }

    [Fact]
    public async Task Up_WithADisabledTrigger_Runs()
    {
        await using var database = await StagingSchema.CreateAsync(fixture);
        await database.ExecuteAsync("""
            CREATE FUNCTION public.keep_widgets() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            CREATE TRIGGER keep_widgets BEFORE DELETE ON dashboard_widgets FOR EACH ROW EXECUTE FUNCTION public.keep_widgets();
            ALTER TABLE dashboard_widgets DISABLE TRIGGER keep_widgets;
            INSERT INTO dashboard_widgets (id, user_id, widget_type, title) VALUES (1, 'usr_gone', 'chart', 't');
            """);

        Assert.Null(await StagingSchema.Up025Async(database.ConnectionString));

        Assert.Equal(["dashboard_widgets#1 delete 'usr_gone'"], await StagingSchema.QuarantineAsync(database));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM dashboard_widgets"));
    }
}
