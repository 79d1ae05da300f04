-- 025_add_missing_text_fk_constraints.down.sql — undo 025, data included.
--
-- What it does:
--   1. Drops the nine FKs (one short transaction each).
--   2. Puts back every row 025 deleted (from the quarantine's copy of the whole row, same id) and
--      every value it set to NULL (only where the value is still NULL: a value the application has
--      set since is newer than ours and is kept). A quarantine row is removed only once its data
--      is back; anything that could not be restored stays in fk_fix.quarantine, with a WARNING,
--      and the quarantine is kept. The plan's down script restored nothing; this one does.
--   3. Drops the nine partial indexes CONCURRENTLY.
--   4. Drops 025's routines and plan, the quarantine once empty, and the fk_fix schema once empty.
-- Locks: step 1 takes ACCESS EXCLUSIVE on each table and SHARE ROW EXCLUSIVE on users, for a
--   catalog-only change; step 2 row locks; step 3 SHARE UPDATE EXCLUSIVE. Lock waits are capped
--   by lock_timeout = 1s (SQLSTATE 55P03 on timeout; rerun, or let the migrator retry).
-- Run 026's down script first: 026 keeps objects in fk_fix too.
-- Re-runnable: yes; every step checks what is left to do. Run in autocommit mode (psql -f does).
-- Usage: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f 025_add_missing_text_fk_constraints.down.sql

-- Statement time is deliberately uncapped (lock waits are capped, per step): index builds and
-- VALIDATE scan whole tables without blocking writers, and a server-wide statement_timeout (common
-- on staging) would kill them half-way, leaving INVALID indexes behind. Reset at the end.
SET statement_timeout = 0;

-- 1. Constraints ---------------------------------------------------------------------------------
BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE dashboard_widgets DROP CONSTRAINT IF EXISTS dashboard_widgets_user_id_fkey;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE user_preferences DROP CONSTRAINT IF EXISTS user_preferences_user_id_fkey;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE error_logs DROP CONSTRAINT IF EXISTS error_logs_user_id_fkey;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE deployment_queue DROP CONSTRAINT IF EXISTS deployment_queue_requested_by_fkey;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE deployment_schedules DROP CONSTRAINT IF EXISTS deployment_schedules_created_by_fkey;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE database_backups DROP CONSTRAINT IF EXISTS database_backups_created_by_fkey;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE backup_restore_history DROP CONSTRAINT IF EXISTS backup_restore_history_restored_by_fkey;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE migration_rollback_audit DROP CONSTRAINT IF EXISTS migration_rollback_audit_initiated_by_fkey;
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE artifact_versions DROP CONSTRAINT IF EXISTS artifact_versions_created_by_fkey;
COMMIT;

-- 2. Data back from the quarantine, one transaction per relationship and action -------------------
DO $$
DECLARE
    g record;
    restored bigint;
    left_over bigint;
BEGIN
    IF to_regclass('fk_fix.quarantine') IS NULL THEN
        RETURN;
    END IF;

    FOR g IN SELECT DISTINCT table_name, column_name, action FROM fk_fix.quarantine ORDER BY 1, 2, 3 LOOP
        SET LOCAL lock_timeout = '1s';
        IF g.action = 'delete' THEN
            -- Same id, same values: jsonb_populate_record turns the saved row back into the table's type.
            EXECUTE format($sql$
                WITH back AS (
                    INSERT INTO %1$I OVERRIDING SYSTEM VALUE
                    SELECT r.*
                    FROM fk_fix.quarantine AS q
                    CROSS JOIN LATERAL jsonb_populate_record(NULL::%1$I, q.row_data) AS r
                    WHERE q.table_name = %1$L AND q.column_name = %2$L AND q.action = 'delete'
                    ON CONFLICT DO NOTHING
                    RETURNING id
                ),
                done AS (
                    DELETE FROM fk_fix.quarantine AS q USING back AS b
                    WHERE q.table_name = %1$L AND q.column_name = %2$L AND q.action = 'delete' AND q.row_id = b.id
                    RETURNING 1
                )
                SELECT count(*) FROM done$sql$, g.table_name, g.column_name)
                INTO restored;
        ELSE
            EXECUTE format($sql$
                WITH back AS (
                    UPDATE %1$I AS t SET %2$I = q.old_value
                    FROM fk_fix.quarantine AS q
                    WHERE q.table_name = %1$L AND q.column_name = %2$L AND q.action = 'set_null'
                      AND t.id = q.row_id AND t.%2$I IS NULL
                    RETURNING t.id
                ),
                done AS (
                    DELETE FROM fk_fix.quarantine AS q USING back AS b
                    WHERE q.table_name = %1$L AND q.column_name = %2$L AND q.action = 'set_null' AND q.row_id = b.id
                    RETURNING 1
                )
                SELECT count(*) FROM done$sql$, g.table_name, g.column_name)
                INTO restored;
        END IF;
        RAISE NOTICE '025 down: %.%: % % restored', g.table_name, g.column_name, restored,
            CASE g.action WHEN 'delete' THEN 'deleted row(s)' ELSE 'nulled value(s)' END;
        COMMIT;
    END LOOP;

    SELECT count(*) INTO left_over FROM fk_fix.quarantine;
    IF left_over > 0 THEN
        RAISE WARNING '025 down: % quarantined row(s) could not be restored (their row was deleted or their value changed since 025 ran); they stay in fk_fix.quarantine', left_over;
    END IF;
END
$$;

-- 3. Indexes ------------------------------------------------------------------------------------
-- DROP INDEX CONCURRENTLY runs outside a transaction block, where SET LOCAL has no effect.
SET lock_timeout = '1s';
DROP INDEX CONCURRENTLY IF EXISTS idx_dashboard_widgets_user_id;
DROP INDEX CONCURRENTLY IF EXISTS idx_user_preferences_user_id;
DROP INDEX CONCURRENTLY IF EXISTS idx_error_logs_user_id;
DROP INDEX CONCURRENTLY IF EXISTS idx_deployment_queue_requested_by;
DROP INDEX CONCURRENTLY IF EXISTS idx_deployment_schedules_created_by;
DROP INDEX CONCURRENTLY IF EXISTS idx_database_backups_created_by;
DROP INDEX CONCURRENTLY IF EXISTS idx_backup_restore_history_restored_by;
DROP INDEX CONCURRENTLY IF EXISTS idx_migration_rollback_audit_initiated_by;
DROP INDEX CONCURRENTLY IF EXISTS idx_artifact_versions_created_by;
RESET lock_timeout;

-- 4. 025's own objects ---------------------------------------------------------------------------
BEGIN;
SET LOCAL lock_timeout = '1s';
DROP PROCEDURE IF EXISTS fk_fix.add_text_fks_not_valid();
DROP PROCEDURE IF EXISTS fk_fix.quarantine_text_orphans(integer);
DROP PROCEDURE IF EXISTS fk_fix.quarantine_text_orphans(integer, integer);
DROP PROCEDURE IF EXISTS fk_fix.validate_text_fks();
DROP FUNCTION IF EXISTS fk_fix.orphan_reason(text, text);
DROP FUNCTION IF EXISTS fk_fix.orphan_reason_code(text, text);
-- 025's own bookkeeping table, read by no client: dropping it breaks nothing.
-- squawk-ignore ban-drop-table
DROP TABLE IF EXISTS fk_fix.text_fk_plan;
DO $$
BEGIN
    -- Nested, not AND-ed: PL/pgSQL plans the whole condition, and the table may be gone already.
    IF to_regclass('fk_fix.quarantine') IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM fk_fix.quarantine) THEN
            DROP TABLE fk_fix.quarantine;
        END IF;
    END IF;
    -- The schema goes only once empty: 026 keeps its functions there too.
    IF to_regnamespace('fk_fix') IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = to_regnamespace('fk_fix'))
       AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE pronamespace = to_regnamespace('fk_fix')) THEN
        DROP SCHEMA fk_fix;
    END IF;
END
$$;
COMMIT;

RESET statement_timeout;
