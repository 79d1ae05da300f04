-- 026_add_array_fk_validation.down.sql — undo 026.
--
-- What it does: drops 026's triggers and GIN indexes (one short transaction per table), its
--   fk_fix checking functions, its record fk_fix.array_fk_indexes, and the fk_fix schema once
--   nothing else lives there. 026 changed no data, so there is none to restore.
-- Only what 026 created (decided; see 026 up's header): a trigger under one of 026's names goes
--   only if it calls 026's function; a function only if it carries 026's mark; a GIN index only if
--   fk_fix.array_fk_indexes says 026 built it (an equivalent index that was there before up stays).
--   After an interrupted up, whatever part of 026 is present goes, the rest is skipped.
-- Locks: DROP TRIGGER takes ACCESS EXCLUSIVE on its table for a catalog-only change; so does
--   DROP INDEX, in the same transaction (not CONCURRENTLY: a drop that depends on the record can
--   only run inside a DO block, and CONCURRENTLY cannot). Lock waits capped by lock_timeout = 1s.
--   Nothing depends on search_path: every name is qualified.
-- Re-runnable: yes (each drop checks the catalog first). Run in autocommit mode (psql -f does).
-- Usage: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f 026_add_array_fk_validation.down.sql

-- Statement time is deliberately uncapped (lock waits are capped, per step), as in up.
SET statement_timeout = 0;
-- Nor may a staging idle_in_transaction_session_timeout end the session between two statements of
-- one of its transactions (the client's round trip, longer on a busy machine): reset at the end too.
SET idle_in_transaction_session_timeout = 0;

-- 1. Triggers and indexes, one short transaction per table --------------------------------------
BEGIN;
SET LOCAL lock_timeout = '1s';
DO $$
DECLARE
    trigger_name name;
    built boolean;
BEGIN
    FOR trigger_name IN
        SELECT g.tgname FROM pg_catalog.pg_trigger AS g JOIN pg_catalog.pg_proc AS p ON p.oid = g.tgfoid
        WHERE g.tgrelid = pg_catalog.to_regclass('public.deployment_approvals') AND g.tgname IN ('trg_check_deployment_approvals_approved_by_insert', 'trg_check_deployment_approvals_approved_by_update')
          AND p.pronamespace = pg_catalog.to_regnamespace('fk_fix')
          AND pg_catalog.obj_description(p.oid, 'pg_proc') = 'created by 026_add_array_fk_validation'
    LOOP
        EXECUTE format('DROP TRIGGER %I ON public.deployment_approvals', trigger_name);
    END LOOP;
    IF pg_catalog.to_regclass('fk_fix.array_fk_indexes') IS NOT NULL THEN
        EXECUTE 'SELECT bool_or(created_by_026) FROM fk_fix.array_fk_indexes WHERE index_name = $1' INTO built USING 'idx_deployment_approvals_approved_by_gin';
        IF built AND pg_catalog.to_regclass('public.idx_deployment_approvals_approved_by_gin') IS NOT NULL THEN
            DROP INDEX public.idx_deployment_approvals_approved_by_gin;
        END IF;
    END IF;
END
$$;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
DO $$
DECLARE
    trigger_name name;
    built boolean;
BEGIN
    FOR trigger_name IN
        SELECT g.tgname FROM pg_catalog.pg_trigger AS g JOIN pg_catalog.pg_proc AS p ON p.oid = g.tgfoid
        WHERE g.tgrelid = pg_catalog.to_regclass('public.alert_escalations') AND g.tgname IN ('trg_check_alert_escalations_user_ids_insert', 'trg_check_alert_escalations_user_ids_update')
          AND p.pronamespace = pg_catalog.to_regnamespace('fk_fix')
          AND pg_catalog.obj_description(p.oid, 'pg_proc') = 'created by 026_add_array_fk_validation'
    LOOP
        EXECUTE format('DROP TRIGGER %I ON public.alert_escalations', trigger_name);
    END LOOP;
    IF pg_catalog.to_regclass('fk_fix.array_fk_indexes') IS NOT NULL THEN
        EXECUTE 'SELECT bool_or(created_by_026) FROM fk_fix.array_fk_indexes WHERE index_name = $1' INTO built USING 'idx_alert_escalations_user_ids_gin';
        IF built AND pg_catalog.to_regclass('public.idx_alert_escalations_user_ids_gin') IS NOT NULL THEN
            DROP INDEX public.idx_alert_escalations_user_ids_gin;
        END IF;
    END IF;
END
$$;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
DO $$
DECLARE
    trigger_name name;
    built boolean;
BEGIN
    FOR trigger_name IN
        SELECT g.tgname FROM pg_catalog.pg_trigger AS g JOIN pg_catalog.pg_proc AS p ON p.oid = g.tgfoid
        WHERE g.tgrelid = pg_catalog.to_regclass('public.approval_rules') AND g.tgname IN ('trg_check_approval_rules_allowed_approvers_insert', 'trg_check_approval_rules_allowed_approvers_update')
          AND p.pronamespace = pg_catalog.to_regnamespace('fk_fix')
          AND pg_catalog.obj_description(p.oid, 'pg_proc') = 'created by 026_add_array_fk_validation'
    LOOP
        EXECUTE format('DROP TRIGGER %I ON public.approval_rules', trigger_name);
    END LOOP;
    IF pg_catalog.to_regclass('fk_fix.array_fk_indexes') IS NOT NULL THEN
        EXECUTE 'SELECT bool_or(created_by_026) FROM fk_fix.array_fk_indexes WHERE index_name = $1' INTO built USING 'idx_approval_rules_allowed_approvers_gin';
        IF built AND pg_catalog.to_regclass('public.idx_approval_rules_allowed_approvers_gin') IS NOT NULL THEN
            DROP INDEX public.idx_approval_rules_allowed_approvers_gin;
        END IF;
    END IF;
END
$$;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
DO $$
DECLARE
    trigger_name name;
    built boolean;
BEGIN
    FOR trigger_name IN
        SELECT g.tgname FROM pg_catalog.pg_trigger AS g JOIN pg_catalog.pg_proc AS p ON p.oid = g.tgfoid
        WHERE g.tgrelid = pg_catalog.to_regclass('public.alert_condition_groups') AND g.tgname IN ('trg_check_alert_condition_groups_condition_ids_insert', 'trg_check_alert_condition_groups_condition_ids_update')
          AND p.pronamespace = pg_catalog.to_regnamespace('fk_fix')
          AND pg_catalog.obj_description(p.oid, 'pg_proc') = 'created by 026_add_array_fk_validation'
    LOOP
        EXECUTE format('DROP TRIGGER %I ON public.alert_condition_groups', trigger_name);
    END LOOP;
    IF pg_catalog.to_regclass('fk_fix.array_fk_indexes') IS NOT NULL THEN
        EXECUTE 'SELECT bool_or(created_by_026) FROM fk_fix.array_fk_indexes WHERE index_name = $1' INTO built USING 'idx_alert_condition_groups_condition_ids_gin';
        IF built AND pg_catalog.to_regclass('public.idx_alert_condition_groups_condition_ids_gin') IS NOT NULL THEN
            DROP INDEX public.idx_alert_condition_groups_condition_ids_gin;
        END IF;
    END IF;
END
$$;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
DO $$
DECLARE
    trigger_name name;
    built boolean;
BEGIN
    FOR trigger_name IN
        SELECT g.tgname FROM pg_catalog.pg_trigger AS g JOIN pg_catalog.pg_proc AS p ON p.oid = g.tgfoid
        WHERE g.tgrelid = pg_catalog.to_regclass('public.users') AND g.tgname IN ('trg_check_users_array_refs_delete', 'trg_check_users_array_refs_update', 'trg_check_users_array_refs_truncate')
          AND p.pronamespace = pg_catalog.to_regnamespace('fk_fix')
          AND pg_catalog.obj_description(p.oid, 'pg_proc') = 'created by 026_add_array_fk_validation'
    LOOP
        EXECUTE format('DROP TRIGGER %I ON public.users', trigger_name);
    END LOOP;
END
$$;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
DO $$
DECLARE
    trigger_name name;
    built boolean;
BEGIN
    FOR trigger_name IN
        SELECT g.tgname FROM pg_catalog.pg_trigger AS g JOIN pg_catalog.pg_proc AS p ON p.oid = g.tgfoid
        WHERE g.tgrelid = pg_catalog.to_regclass('public.alert_conditions') AND g.tgname IN ('trg_check_alert_conditions_array_refs_delete', 'trg_check_alert_conditions_array_refs_update', 'trg_check_alert_conditions_array_refs_truncate')
          AND p.pronamespace = pg_catalog.to_regnamespace('fk_fix')
          AND pg_catalog.obj_description(p.oid, 'pg_proc') = 'created by 026_add_array_fk_validation'
    LOOP
        EXECUTE format('DROP TRIGGER %I ON public.alert_conditions', trigger_name);
    END LOOP;
END
$$;
COMMIT;

-- 2. Functions, the record, and the schema once empty ---------------------------------------------
BEGIN;
SET LOCAL lock_timeout = '1s';
DO $$
DECLARE
    fn text;
BEGIN
    FOR fn IN
        SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc AS p
        WHERE p.pronamespace = pg_catalog.to_regnamespace('fk_fix')
          AND pg_catalog.obj_description(p.oid, 'pg_proc') = 'created by 026_add_array_fk_validation'
    LOOP
        EXECUTE format('DROP FUNCTION %s', fn);
    END LOOP;
END
$$;
-- 026's own bookkeeping (which GIN index it built), read by no client: dropping it breaks nothing.
-- squawk-ignore ban-drop-table
DROP TABLE IF EXISTS fk_fix.array_fk_indexes;
-- The schema goes only once empty: 025 keeps its quarantine there.
DO $$
BEGIN
    IF pg_catalog.to_regnamespace('fk_fix') IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE relnamespace = pg_catalog.to_regnamespace('fk_fix'))
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc WHERE pronamespace = pg_catalog.to_regnamespace('fk_fix'))
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE typnamespace = pg_catalog.to_regnamespace('fk_fix')) THEN
        DROP SCHEMA fk_fix;
    END IF;
END
$$;
COMMIT;

RESET statement_timeout;
RESET idle_in_transaction_session_timeout;
