-- 026_add_array_fk_validation.down.sql — undo 026.
--
-- What it does: drops the fourteen trg_check_* triggers (one short transaction per table), the
--   fk_fix checking functions, the four GIN indexes (CONCURRENTLY), and the fk_fix schema once
--   nothing else lives there. 026 changed no data, so there is none to restore.
-- Locks: DROP TRIGGER takes ACCESS EXCLUSIVE on its table for a catalog-only change; DROP INDEX
--   CONCURRENTLY takes SHARE UPDATE EXCLUSIVE. Lock waits capped by lock_timeout = 1s.
-- Re-runnable: yes (IF EXISTS everywhere). Run in autocommit mode (psql -f does).
-- Usage: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f 026_add_array_fk_validation.down.sql

-- Statement time is deliberately uncapped (lock waits are capped, per step): index builds and
-- VALIDATE scan whole tables without blocking writers, and a server-wide statement_timeout (common
-- on staging) would kill them half-way, leaving INVALID indexes behind. Reset at the end.
SET statement_timeout = 0;

-- 1. Triggers ------------------------------------------------------------------------------------
BEGIN;
SET LOCAL lock_timeout = '1s';
DROP TRIGGER IF EXISTS trg_check_deployment_approvals_approved_by_insert ON deployment_approvals;
DROP TRIGGER IF EXISTS trg_check_deployment_approvals_approved_by_update ON deployment_approvals;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
DROP TRIGGER IF EXISTS trg_check_alert_escalations_user_ids_insert ON alert_escalations;
DROP TRIGGER IF EXISTS trg_check_alert_escalations_user_ids_update ON alert_escalations;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
DROP TRIGGER IF EXISTS trg_check_approval_rules_allowed_approvers_insert ON approval_rules;
DROP TRIGGER IF EXISTS trg_check_approval_rules_allowed_approvers_update ON approval_rules;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
DROP TRIGGER IF EXISTS trg_check_alert_condition_groups_condition_ids_insert ON alert_condition_groups;
DROP TRIGGER IF EXISTS trg_check_alert_condition_groups_condition_ids_update ON alert_condition_groups;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
DROP TRIGGER IF EXISTS trg_check_users_array_refs_delete ON users;
DROP TRIGGER IF EXISTS trg_check_users_array_refs_update ON users;
DROP TRIGGER IF EXISTS trg_check_users_array_refs_truncate ON users;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
DROP TRIGGER IF EXISTS trg_check_alert_conditions_array_refs_delete ON alert_conditions;
DROP TRIGGER IF EXISTS trg_check_alert_conditions_array_refs_update ON alert_conditions;
DROP TRIGGER IF EXISTS trg_check_alert_conditions_array_refs_truncate ON alert_conditions;
COMMIT;

-- 2. Functions -----------------------------------------------------------------------------------
BEGIN;
SET LOCAL lock_timeout = '1s';
DROP FUNCTION IF EXISTS fk_fix.check_deployment_approvals_approved_by();
DROP FUNCTION IF EXISTS fk_fix.check_alert_escalations_user_ids();
DROP FUNCTION IF EXISTS fk_fix.check_approval_rules_allowed_approvers();
DROP FUNCTION IF EXISTS fk_fix.check_alert_condition_groups_condition_ids();
DROP FUNCTION IF EXISTS fk_fix.check_array_update();
DROP FUNCTION IF EXISTS fk_fix.guard_users_delete();
DROP FUNCTION IF EXISTS fk_fix.guard_users_rekey();
DROP FUNCTION IF EXISTS fk_fix.guard_alert_conditions_delete();
DROP FUNCTION IF EXISTS fk_fix.guard_alert_conditions_rekey();
DROP FUNCTION IF EXISTS fk_fix.guard_users_truncate();
DROP FUNCTION IF EXISTS fk_fix.guard_alert_conditions_truncate();
DROP FUNCTION IF EXISTS fk_fix.reject_referenced_users(bigint[]);
DROP FUNCTION IF EXISTS fk_fix.reject_referenced_alert_conditions(bigint[]);
DROP FUNCTION IF EXISTS fk_fix.reject_invalid_array_ids(text, text, bigint[], boolean);
DROP FUNCTION IF EXISTS fk_fix.missing_user_ids(bigint[]);
DROP FUNCTION IF EXISTS fk_fix.missing_alert_condition_ids(bigint[]);
-- The schema goes only once empty: 025 keeps its quarantine there.
DO $$
BEGIN
    IF to_regnamespace('fk_fix') IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = to_regnamespace('fk_fix'))
       AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE pronamespace = to_regnamespace('fk_fix')) THEN
        DROP SCHEMA fk_fix;
    END IF;
END
$$;
COMMIT;

-- 3. Indexes ------------------------------------------------------------------------------------
-- DROP INDEX CONCURRENTLY runs outside a transaction block, where SET LOCAL has no effect.
SET lock_timeout = '1s';
DROP INDEX CONCURRENTLY IF EXISTS idx_deployment_approvals_approved_by_gin;
DROP INDEX CONCURRENTLY IF EXISTS idx_alert_escalations_user_ids_gin;
DROP INDEX CONCURRENTLY IF EXISTS idx_approval_rules_allowed_approvers_gin;
DROP INDEX CONCURRENTLY IF EXISTS idx_alert_condition_groups_condition_ids_gin;
RESET lock_timeout;

RESET statement_timeout;
