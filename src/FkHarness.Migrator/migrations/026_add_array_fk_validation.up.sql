-- 026_add_array_fk_validation.up.sql — make the four BIGINT[] "array FKs" behave like FKs.
--
-- What it does:
--   Referencing side: triggers on deployment_approvals.approved_by, alert_escalations.user_ids,
--     approval_rules.allowed_approvers (→ users.id) and alert_condition_groups.condition_ids
--     (→ alert_conditions.id) reject, on INSERT and on an UPDATE that changes the array, any
--     element that matches no id, with SQLSTATE 23503 (foreign_key_violation), a message holding
--     'Invalid user IDs' / 'Invalid alert condition IDs' and the offending ids in message and
--     detail. INSERT is checked once per statement over all its rows (a transition table), in
--     one query that looks every element up by primary key and locks it, so a bulk insert costs
--     one set-based statement, not one per element, and a single-row INSERT one query, not
--     five; an UPDATE only when the array column actually changes (an UPDATE of other columns
--     does not fire the check).
--   Referenced side: deleting a user or alert condition, or changing its id, while an array still
--     holds it is rejected with 23503, as a real FK would (NO ACTION). GIN indexes on the four
--     array columns make that check an index lookup, not a scan. A TRUNCATE of users or
--     alert_conditions is rejected too while an array that is not truncated with it holds an id.
--   Races: the referencing check locks the referenced rows FOR KEY SHARE, as PostgreSQL's own FK
--     checks do, in the statement that looks them up (a row deleted meanwhile is not returned by
--     the lock, so it counts as missing). A concurrent DELETE of such a row waits for our commit and then, in its AFTER
--     trigger (a fresh snapshot under READ COMMITTED), sees our row and fails; a DELETE that
--     committed first makes our check find the id missing. Never both commit.
-- Rules (decided here, the plan was silent):
--   NULL elements are rejected: an approver or condition that is NULL references nothing and is a
--     bug in the writer. Empty arrays are accepted (no references). A NULL array is accepted where
--     the column is nullable (alert_escalations.user_ids). Duplicates are accepted and checked once.
--   Existing rows are not checked or changed (the plan: "triggers only validate future writes");
--     024 reports them.
-- Known limit: under REPEATABLE READ or SERIALIZABLE the referenced-side guard cannot see rows
--   committed after its snapshot began (PostgreSQL's FK triggers use a special cross-check
--   snapshot that PL/pgSQL cannot); the guarantee holds under READ COMMITTED, the default.
-- Locks: CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE; each CREATE TRIGGER takes SHARE
--   ROW EXCLUSIVE on its table for a catalog-only change. Lock waits capped by lock_timeout = 1s.
-- Re-runnable: yes (CREATE OR REPLACE, IF NOT EXISTS, invalid index leftovers rebuilt).
-- Usage: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f 026_add_array_fk_validation.up.sql

-- Statement time is deliberately uncapped (lock waits are capped, per step): index builds and
-- VALIDATE scan whole tables without blocking writers, and a server-wide statement_timeout (common
-- on staging) would kill them half-way, leaving INVALID indexes behind. Reset at the end.
SET statement_timeout = 0;

-- 1. GIN indexes for the referenced-side checks, built without blocking writers ----------------
-- CREATE INDEX CONCURRENTLY runs outside any transaction block, where SET LOCAL has no effect.
SET lock_timeout = '1s';

-- An interrupted concurrent build leaves an INVALID index that IF NOT EXISTS would keep: drop it.
DO $$
DECLARE
    leftover text;
BEGIN
    FOR leftover IN
        SELECT i.indexrelid::regclass::text
        FROM pg_index AS i
        WHERE i.indexrelid IN (to_regclass('idx_deployment_approvals_approved_by_gin'),
                               to_regclass('idx_alert_escalations_user_ids_gin'),
                               to_regclass('idx_approval_rules_allowed_approvers_gin'),
                               to_regclass('idx_alert_condition_groups_condition_ids_gin'))
          AND NOT i.indisvalid
    LOOP
        EXECUTE format('DROP INDEX %s', leftover);
    END LOOP;
END
$$;

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_deployment_approvals_approved_by_gin ON deployment_approvals USING gin (approved_by);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_alert_escalations_user_ids_gin ON alert_escalations USING gin (user_ids);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_approval_rules_allowed_approvers_gin ON approval_rules USING gin (allowed_approvers);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_alert_condition_groups_condition_ids_gin ON alert_condition_groups USING gin (condition_ids);

RESET lock_timeout;

-- 2. Checking functions --------------------------------------------------------------------------
BEGIN;
SET LOCAL lock_timeout = '1s';

CREATE SCHEMA IF NOT EXISTS fk_fix;

-- The ids of `wanted` that are not in users.id, for the UPDATE check. Each id is looked up by
-- primary key and, when there, locked FOR KEY SHARE in the same statement, so it cannot be deleted
-- (or re-keyed) until this transaction ends; an id whose row goes meanwhile is not returned by
-- the lock, so it counts as missing.
CREATE OR REPLACE FUNCTION fk_fix.missing_user_ids(wanted bigint[])
RETURNS bigint[]
LANGUAGE sql
AS $$
    SELECT array_agg(DISTINCT w.id ORDER BY w.id)
    FROM unnest(wanted) AS w (id)
    LEFT JOIN LATERAL (SELECT u.id FROM users AS u WHERE u.id = w.id FOR KEY SHARE) AS found ON true
    WHERE w.id IS NOT NULL AND found.id IS NULL
$$;

CREATE OR REPLACE FUNCTION fk_fix.missing_alert_condition_ids(wanted bigint[])
RETURNS bigint[]
LANGUAGE sql
AS $$
    SELECT array_agg(DISTINCT w.id ORDER BY w.id)
    FROM unnest(wanted) AS w (id)
    LEFT JOIN LATERAL (SELECT c.id FROM alert_conditions AS c WHERE c.id = w.id FOR KEY SHARE) AS found ON true
    WHERE w.id IS NOT NULL AND found.id IS NULL
$$;

-- Raises the rejection for one array column, if there is anything to reject.
CREATE OR REPLACE FUNCTION fk_fix.reject_invalid_array_ids(column_ref text, target text, missing bigint[], has_null boolean)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    label text := CASE target WHEN 'users' THEN 'Invalid user IDs' ELSE 'Invalid alert condition IDs' END;
BEGIN
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '% in %: %', label, column_ref, array_to_string(missing, ', ')
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (%s)=(%s) is not present in table "%s".', column_ref, missing, target),
                  HINT = CASE WHEN has_null THEN 'The array also holds NULL elements, which are not allowed.'
                              ELSE format('Insert the rows into "%s" first, or leave these ids out.', target) END;
    END IF;
    IF has_null THEN
        RAISE EXCEPTION '% in %: NULL elements are not allowed', label, column_ref
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (%s) holds a NULL element, which references no row of "%s".', column_ref, target);
    END IF;
END
$$;

-- INSERT, once per statement: every element of every inserted row looked up by primary key and
-- locked (as a native FK does per row, but one statement for them all). This is the hot path, and
-- for a single-row INSERT its cost is fixed per-statement overhead, mostly executor start-up of
-- the query's plan nodes (docs/benchmarks.md, "026 trigger cost"). So the statement's check is
-- one query with as few plan nodes as do the job and no aggregate: it returns the rows whose
-- array holds an element that is NULL or matches no user, and the common case (none) ends there.
-- Only when something is wrong does a second query build the distinct, sorted list of missing ids
-- and the rejection. Per row, one subplan looks all the row's elements up in one index scan
-- (id = ANY (array): one descent per distinct element) and locks what it finds FOR KEY SHARE; the
-- row is rejected unless its array is contained in what was found (<@: a NULL element is
-- contained in nothing, an empty array in anything, a NULL array, nullable
-- alert_escalations.user_ids, is not compared, duplicates count once, and every element of a
-- multi-dimensional array is compared). One subplan per row instead of a NOT EXISTS probe per
-- element (an unnest and a subplan rescan each): 10k fewer instructions for a single-row
-- statement (measured, docs/benchmarks.md). The lock keeps the subplan a subplan (the planner
-- cannot turn a locking sublink into a join), so the cached plan stays a probe per row whatever
-- the size of the statement it was planned for (a join could be planned as a hash over all users
-- for a first, bulk, statement and reused for every single-row one). An element repeated in the
-- statement is locked again by the same transaction, which costs about what a lookup does. The
-- second query locks again what it finds: an id committed by someone else in between is then
-- there, locked, and not an error.
-- Why not a row-level trigger for single-row statements: measured, it costs more than this one
-- (a row trigger's call is no cheaper than a statement trigger's, and its query takes NEW's array
-- as a parameter, which keeps PL/pgSQL re-planning it unless the function also sets
-- plan_cache_mode), and a row trigger cannot know whether its statement has more rows, so a bulk
-- INSERT would pay a PL/pgSQL call and a query per row, several times this check's cost per row.
-- jit = off: PL/pgSQL caches each query's plan for the session, and the JIT decision is part of
-- the plan, taken from the cost estimated for the first statement (a transition table is
-- estimated at its actual size). A first INSERT of a few thousand rows would JIT-compile the
-- cached plan, and every later single-row INSERT on that connection would pay the compilation
-- again, ~4 ms each (measured: 0.1 ms without). Setting it on the function costs ~1.5 µs a call.
CREATE OR REPLACE FUNCTION fk_fix.check_deployment_approvals_approved_by()
RETURNS trigger
LANGUAGE plpgsql
SET jit = off
AS $$
DECLARE
    missing bigint[];
    has_null boolean;
BEGIN
    PERFORM FROM new_rows AS n
    WHERE NOT (n.approved_by <@ ARRAY(SELECT t.id FROM users AS t WHERE t.id = ANY (n.approved_by) FOR KEY SHARE));
    IF FOUND THEN
        SELECT array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), bool_or(e.id IS NULL)
        INTO missing, has_null
        FROM (SELECT unnest(n.approved_by) AS id FROM new_rows AS n) AS e
        WHERE NOT EXISTS (SELECT FROM users AS t WHERE t.id = e.id FOR KEY SHARE);
        PERFORM fk_fix.reject_invalid_array_ids('deployment_approvals.approved_by', 'users', missing, has_null);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.check_alert_escalations_user_ids()
RETURNS trigger
LANGUAGE plpgsql
SET jit = off
AS $$
DECLARE
    missing bigint[];
    has_null boolean;
BEGIN
    PERFORM FROM new_rows AS n
    WHERE NOT (n.user_ids <@ ARRAY(SELECT t.id FROM users AS t WHERE t.id = ANY (n.user_ids) FOR KEY SHARE));
    IF FOUND THEN
        SELECT array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), bool_or(e.id IS NULL)
        INTO missing, has_null
        FROM (SELECT unnest(n.user_ids) AS id FROM new_rows AS n) AS e
        WHERE NOT EXISTS (SELECT FROM users AS t WHERE t.id = e.id FOR KEY SHARE);
        PERFORM fk_fix.reject_invalid_array_ids('alert_escalations.user_ids', 'users', missing, has_null);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.check_approval_rules_allowed_approvers()
RETURNS trigger
LANGUAGE plpgsql
SET jit = off
AS $$
DECLARE
    missing bigint[];
    has_null boolean;
BEGIN
    PERFORM FROM new_rows AS n
    WHERE NOT (n.allowed_approvers <@ ARRAY(SELECT t.id FROM users AS t WHERE t.id = ANY (n.allowed_approvers) FOR KEY SHARE));
    IF FOUND THEN
        SELECT array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), bool_or(e.id IS NULL)
        INTO missing, has_null
        FROM (SELECT unnest(n.allowed_approvers) AS id FROM new_rows AS n) AS e
        WHERE NOT EXISTS (SELECT FROM users AS t WHERE t.id = e.id FOR KEY SHARE);
        PERFORM fk_fix.reject_invalid_array_ids('approval_rules.allowed_approvers', 'users', missing, has_null);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.check_alert_condition_groups_condition_ids()
RETURNS trigger
LANGUAGE plpgsql
SET jit = off
AS $$
DECLARE
    missing bigint[];
    has_null boolean;
BEGIN
    PERFORM FROM new_rows AS n
    WHERE NOT (n.condition_ids <@ ARRAY(SELECT t.id FROM alert_conditions AS t WHERE t.id = ANY (n.condition_ids) FOR KEY SHARE));
    IF FOUND THEN
        SELECT array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), bool_or(e.id IS NULL)
        INTO missing, has_null
        FROM (SELECT unnest(n.condition_ids) AS id FROM new_rows AS n) AS e
        WHERE NOT EXISTS (SELECT FROM alert_conditions AS t WHERE t.id = e.id FOR KEY SHARE);
        PERFORM fk_fix.reject_invalid_array_ids('alert_condition_groups.condition_ids', 'alert_conditions', missing, has_null);
    END IF;
    RETURN NULL;
END
$$;

-- UPDATE of the array column, per changed row (the trigger's WHEN skips unchanged arrays).
-- TG_ARGV: the column, the target table. Transition tables cannot be combined with UPDATE OF, so
-- this one is row-level and finds the column through to_jsonb(NEW).
CREATE OR REPLACE FUNCTION fk_fix.check_array_update()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    array_json jsonb := to_jsonb(NEW) -> TG_ARGV[0];
    wanted bigint[];
    has_null boolean;
BEGIN
    IF jsonb_typeof(array_json) IS DISTINCT FROM 'array' THEN
        RETURN NULL;  -- a NULL array references nothing
    END IF;
    SELECT array_agg(DISTINCT e.id::bigint), coalesce(bool_or(e.id IS NULL), false) INTO wanted, has_null
    FROM jsonb_array_elements_text(array_json) AS e (id);
    PERFORM fk_fix.reject_invalid_array_ids(TG_TABLE_NAME || '.' || TG_ARGV[0], TG_ARGV[1],
        CASE TG_ARGV[1] WHEN 'users' THEN fk_fix.missing_user_ids(wanted) ELSE fk_fix.missing_alert_condition_ids(wanted) END,
        has_null);
    RETURN NULL;
END
$$;

-- Referenced side: no user may go (or change id) while an array still holds it. The GIN indexes
-- answer `@>` per id. Runs in an AFTER trigger, so under READ COMMITTED it sees rows that a
-- concurrent insert committed while this DELETE waited for their FOR KEY SHARE lock.
CREATE OR REPLACE FUNCTION fk_fix.reject_referenced_users(gone bigint[])
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    held text;
BEGIN
    SELECT string_agg(format('users.id %s held by %s', r.id, r.holder), '; ' ORDER BY r.id, r.holder) INTO held
    FROM (
        SELECT g.id, 'deployment_approvals.approved_by' AS holder FROM unnest(gone) AS g (id)
        WHERE EXISTS (SELECT 1 FROM deployment_approvals AS d WHERE d.approved_by @> ARRAY[g.id])
        UNION ALL
        SELECT g.id, 'alert_escalations.user_ids' FROM unnest(gone) AS g (id)
        WHERE EXISTS (SELECT 1 FROM alert_escalations AS a WHERE a.user_ids @> ARRAY[g.id])
        UNION ALL
        SELECT g.id, 'approval_rules.allowed_approvers' FROM unnest(gone) AS g (id)
        WHERE EXISTS (SELECT 1 FROM approval_rules AS r WHERE r.allowed_approvers @> ARRAY[g.id])
    ) AS r;
    IF held IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on table "users" violates array references: Invalid user IDs would remain'
            USING ERRCODE = 'foreign_key_violation', DETAIL = held;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.reject_referenced_alert_conditions(gone bigint[])
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    held text;
BEGIN
    SELECT string_agg(format('alert_conditions.id %s held by alert_condition_groups.condition_ids', g.id), '; ' ORDER BY g.id) INTO held
    FROM unnest(gone) AS g (id)
    WHERE EXISTS (SELECT 1 FROM alert_condition_groups AS a WHERE a.condition_ids @> ARRAY[g.id]);
    IF held IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on table "alert_conditions" violates array references: Invalid alert condition IDs would remain'
            USING ERRCODE = 'foreign_key_violation', DETAIL = held;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.guard_users_delete()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM fk_fix.reject_referenced_users(ARRAY(SELECT o.id FROM old_rows AS o));
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.guard_users_rekey()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM fk_fix.reject_referenced_users(ARRAY[OLD.id]);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.guard_alert_conditions_delete()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM fk_fix.reject_referenced_alert_conditions(ARRAY(SELECT o.id FROM old_rows AS o));
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.guard_alert_conditions_rekey()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM fk_fix.reject_referenced_alert_conditions(ARRAY[OLD.id]);
    RETURN NULL;
END
$$;

-- TRUNCATE fires no DELETE trigger, so without these a TRUNCATE of users (… CASCADE, once 025's
-- FKs exist) or of alert_conditions would leave every array element pointing at nothing; a native
-- FK refuses to truncate the table it references unless the referencing table goes in the same
-- statement. AFTER TRUNCATE, so that a TRUNCATE that also empties the array tables passes: by then
-- the referenced table is empty, and any non-NULL element still in an array references nothing.
CREATE OR REPLACE FUNCTION fk_fix.guard_users_truncate()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    held text;
BEGIN
    SELECT string_agg(h.column_ref, ', ' ORDER BY h.column_ref) INTO held
    FROM (
        SELECT 'deployment_approvals.approved_by' AS column_ref
        WHERE EXISTS (SELECT 1 FROM deployment_approvals AS d WHERE EXISTS (SELECT 1 FROM unnest(d.approved_by) AS e (id) WHERE e.id IS NOT NULL))
        UNION ALL
        SELECT 'alert_escalations.user_ids'
        WHERE EXISTS (SELECT 1 FROM alert_escalations AS a WHERE EXISTS (SELECT 1 FROM unnest(a.user_ids) AS e (id) WHERE e.id IS NOT NULL))
        UNION ALL
        SELECT 'approval_rules.allowed_approvers'
        WHERE EXISTS (SELECT 1 FROM approval_rules AS r WHERE EXISTS (SELECT 1 FROM unnest(r.allowed_approvers) AS e (id) WHERE e.id IS NOT NULL))
    ) AS h;
    IF held IS NOT NULL THEN
        RAISE EXCEPTION 'cannot truncate table "users": Invalid user IDs would remain in %', held
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Truncate those tables in the same statement, or empty their arrays first.';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.guard_alert_conditions_truncate()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM alert_condition_groups AS g WHERE EXISTS (SELECT 1 FROM unnest(g.condition_ids) AS e (id) WHERE e.id IS NOT NULL)) THEN
        RAISE EXCEPTION 'cannot truncate table "alert_conditions": Invalid alert condition IDs would remain in alert_condition_groups.condition_ids'
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Truncate alert_condition_groups in the same statement, or empty its arrays first.';
    END IF;
    RETURN NULL;
END
$$;

COMMIT;

-- 3. Triggers, one short transaction per table ---------------------------------------------------
BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_deployment_approvals_approved_by_insert
    AFTER INSERT ON deployment_approvals REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.check_deployment_approvals_approved_by();
CREATE OR REPLACE TRIGGER trg_check_deployment_approvals_approved_by_update
    AFTER UPDATE OF approved_by ON deployment_approvals
    FOR EACH ROW WHEN (OLD.approved_by IS DISTINCT FROM NEW.approved_by)
    EXECUTE FUNCTION fk_fix.check_array_update('approved_by', 'users');
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_alert_escalations_user_ids_insert
    AFTER INSERT ON alert_escalations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.check_alert_escalations_user_ids();
CREATE OR REPLACE TRIGGER trg_check_alert_escalations_user_ids_update
    AFTER UPDATE OF user_ids ON alert_escalations
    FOR EACH ROW WHEN (OLD.user_ids IS DISTINCT FROM NEW.user_ids)
    EXECUTE FUNCTION fk_fix.check_array_update('user_ids', 'users');
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_approval_rules_allowed_approvers_insert
    AFTER INSERT ON approval_rules REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.check_approval_rules_allowed_approvers();
CREATE OR REPLACE TRIGGER trg_check_approval_rules_allowed_approvers_update
    AFTER UPDATE OF allowed_approvers ON approval_rules
    FOR EACH ROW WHEN (OLD.allowed_approvers IS DISTINCT FROM NEW.allowed_approvers)
    EXECUTE FUNCTION fk_fix.check_array_update('allowed_approvers', 'users');
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_alert_condition_groups_condition_ids_insert
    AFTER INSERT ON alert_condition_groups REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.check_alert_condition_groups_condition_ids();
CREATE OR REPLACE TRIGGER trg_check_alert_condition_groups_condition_ids_update
    AFTER UPDATE OF condition_ids ON alert_condition_groups
    FOR EACH ROW WHEN (OLD.condition_ids IS DISTINCT FROM NEW.condition_ids)
    EXECUTE FUNCTION fk_fix.check_array_update('condition_ids', 'alert_conditions');
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_users_array_refs_delete
    AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.guard_users_delete();
CREATE OR REPLACE TRIGGER trg_check_users_array_refs_update
    AFTER UPDATE OF id ON users
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION fk_fix.guard_users_rekey();
CREATE OR REPLACE TRIGGER trg_check_users_array_refs_truncate
    AFTER TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.guard_users_truncate();
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_alert_conditions_array_refs_delete
    AFTER DELETE ON alert_conditions REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.guard_alert_conditions_delete();
CREATE OR REPLACE TRIGGER trg_check_alert_conditions_array_refs_update
    AFTER UPDATE OF id ON alert_conditions
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION fk_fix.guard_alert_conditions_rekey();
CREATE OR REPLACE TRIGGER trg_check_alert_conditions_array_refs_truncate
    AFTER TRUNCATE ON alert_conditions
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.guard_alert_conditions_truncate();
COMMIT;

RESET statement_timeout;
