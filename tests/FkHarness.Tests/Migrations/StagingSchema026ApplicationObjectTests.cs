using FkHarness.Tests.Infrastructure;
using Npgsql;

namespace FkHarness.Tests.Migrations;

/// <summary>
/// 026 on a staging-shaped database, the application's own objects: its triggers (026's checks
/// see the row as stored, after every BEFORE trigger), cascades, inheritance and partitions.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StagingSchema026ApplicationObjectTests(PostgresFixture fixture)
{
    [Fact]
    public async Task ABeforeUpdateTrigger_ThatPutsAnUnknownIdIntoTheArray_IsRejected()
    {
        // The statement sets only status; the application's trigger adds an approver. A column
        // trigger (UPDATE OF approved_by) does not fire for that.
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            CREATE FUNCTION public.add_auditor() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.status = 'approved' THEN NEW.approved_by := NEW.approved_by || 999999::bigint; END IF;
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER add_auditor BEFORE UPDATE ON public.deployment_approvals FOR EACH ROW EXECUTE FUNCTION public.add_auditor();
            """);
        await staging.UpAsOwnerAsync();
        await staging.ExecuteAsAsync(staging.Writer, "INSERT INTO public.deployment_approvals (deployment_id, approved_by) VALUES (1, '{1}')");

        var error = await staging.RejectedAsAsync(staging.Writer, "UPDATE public.deployment_approvals SET status = 'approved'");

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains(": 999999", error.MessageText);
        Assert.Equal("{1}", await staging.ScalarAsync<string>("SELECT approved_by::text FROM public.deployment_approvals"));
    }

    [Fact]
    public async Task ABeforeInsertTrigger_ThatChangesTheArray_IsCheckedOnTheRowAsStored()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            CREATE FUNCTION public.swap_approver() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.approved_by := array_replace(NEW.approved_by, 7, 1);
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER swap_approver BEFORE INSERT ON public.deployment_approvals FOR EACH ROW EXECUTE FUNCTION public.swap_approver();
            """);
        await staging.UpAsOwnerAsync();

        await staging.ExecuteAsAsync(staging.Writer, "INSERT INTO public.deployment_approvals (deployment_id, approved_by) VALUES (1, '{7,2}')");
        var error = await staging.RejectedAsAsync(staging.Writer, "INSERT INTO public.deployment_approvals (deployment_id, approved_by) VALUES (1, '{7,999999}')");

        Assert.Equal("{1,2}", await staging.ScalarAsync<string>("SELECT approved_by::text FROM public.deployment_approvals"));
        Assert.Contains(": 999999", error.MessageText);
    }

    [Fact]
    public async Task ABeforeUpdateTriggerOnUsers_ThatChangesAHeldId_IsRejected()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            CREATE FUNCTION public.renumber_user() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.display_name = 'renumber me' THEN NEW.id := NEW.id + 1000; END IF;
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER renumber_user BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.renumber_user();
            INSERT INTO public.approval_rules (name, environment, allowed_approvers) VALUES ('prod', 'production', '{2}');
            """);
        await staging.UpAsOwnerAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => staging.ExecuteAsync("UPDATE public.users SET display_name = 'renumber me' WHERE id = 2"));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains("users.id 2 held by approval_rules.allowed_approvers", error.Detail);
    }

    [Fact]
    public async Task ACascadeFromUsers_ThatTakesTheHolderWithIt_LetsTheDeleteThrough_AndOneThatLeavesAHolder_DoesNot()
    {
        // As a NO ACTION FK: the check is on what remains at the end of the statement.
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            ALTER TABLE public.approval_rules ADD COLUMN owner_user bigint REFERENCES public.users (id) ON DELETE CASCADE;
            INSERT INTO public.approval_rules (name, environment, allowed_approvers, owner_user) VALUES ('own', 'production', '{2}', 2);
            INSERT INTO public.approval_rules (name, environment, allowed_approvers, owner_user) VALUES ('other', 'production', '{3}', 1);
            INSERT INTO public.approval_rules (name, environment, allowed_approvers, owner_user) VALUES ('mine', 'production', '{3}', 3);
            """);
        await staging.UpAsOwnerAsync();

        await staging.ExecuteAsAsync(staging.Admin, "DELETE FROM public.users WHERE id = 2");
        var error = await staging.RejectedAsAsync(staging.Admin, "DELETE FROM public.users WHERE id = 3");

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Contains("users.id 3 held by approval_rules.allowed_approvers", error.Detail);
        Assert.Equal(new[] { "mine", "other" }, await staging.Database.ColumnAsync("SELECT name FROM public.approval_rules ORDER BY name"));
        Assert.Equal(new[] { "1", "3" }, await staging.Database.ColumnAsync("SELECT id::text FROM public.users ORDER BY id"));
    }

    [Fact]
    public async Task AnArrayTableWithInheritanceChildren_IsRefusedBeforeAnythingChanges()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture,
            "CREATE TABLE public.deployment_approvals_archive () INHERITS (public.deployment_approvals)");
        await staging.UpAsOwnerAsync("025");

        var result = await staging.TryUpAsync(staging.Owner);

        Assert.False(result.Succeeded);
        Assert.Contains("public.deployment_approvals has inheritance children (deployment_approvals_archive)", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await staging.ObjectsOf026Async());
    }

    [Fact]
    public async Task APartitionedArrayTable_IsRefusedBeforeAnythingChanges()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture, """
            DROP TABLE public.approval_rules;
            CREATE TABLE public.approval_rules (
                id bigint NOT NULL, name text NOT NULL, environment text NOT NULL, min_approvals integer NOT NULL DEFAULT 1,
                allowed_approvers bigint[] NOT NULL DEFAULT '{}', created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (id, environment)) PARTITION BY LIST (environment);
            CREATE TABLE public.approval_rules_production PARTITION OF public.approval_rules FOR VALUES IN ('production');
            """);
        await staging.ExecuteAsync($"""ALTER TABLE public.approval_rules OWNER TO "{staging.Owner}"; ALTER TABLE public.approval_rules_production OWNER TO "{staging.Owner}" """);
        await staging.UpAsOwnerAsync("025");

        var result = await staging.TryUpAsync(staging.Owner);

        Assert.False(result.Succeeded);
        Assert.Contains("public.approval_rules is partitioned", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await staging.ObjectsOf026Async());
    }

    [Fact]
    public async Task Truncate_OfTheArrayTablesWithUsers_ByTheOwner_Passes()
    {
        await using var staging = await StagingSchema026Database.CreateAsync(fixture);
        await staging.UpAsOwnerAsync();
        await staging.ExecuteAsAsync(staging.Writer, "INSERT INTO public.approval_rules (name, environment, allowed_approvers) VALUES ('r', 'production', '{2}')");

        await staging.ExecuteAsAsync(staging.Owner, "TRUNCATE public.users, public.deployment_approvals, public.alert_escalations, public.approval_rules CASCADE");

        Assert.Equal(0L, await staging.ScalarAsync<long>("SELECT count(*) FROM public.users"));
    }
}
