-- 026_add_array_fk_validation.up.sql — make the four BIGINT[] "array FKs" behave like FKs.
--
-- What it does:
--   Referencing side: triggers on deployment_approvals.approved_by, alert_escalations.user_ids,
--     approval_rules.allowed_approvers (→ users.id) and alert_condition_groups.condition_ids
--     (→ alert_conditions.id) reject, on INSERT and on an UPDATE that changes the array, any
--     element that matches no id, with SQLSTATE 23503 (foreign_key_violation), a message holding
--     'Invalid user IDs' / 'Invalid alert condition IDs' and the offending ids in message and
--     detail (the first 20 of them, and how many in all). INSERT is checked once per statement
--     over all its rows (a transition table), in one query that looks each row's elements up
--     by primary key in one index scan and locks them, so a bulk insert costs one set-based
--     statement, not one per element, and a single-row INSERT one query, not five; an UPDATE per
--     row, only when the array actually changed (an UPDATE of other columns does not fire the
--     check), by a function of its own.
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
--     Multi-dimensional arrays and arrays with any lower bound: every element is checked, as in a
--     one-dimensional array (unnest reads them all).
--   Existing rows are not checked or changed (the plan: "triggers only validate future writes");
--     024 reports them.
-- On a real staging schema (decided here; each has a test in StagingSchema026*Tests):
--   Roles. The checks run as the owner of the tables, as PostgreSQL's RI does, whatever role
--     writes: every 026 function is SECURITY DEFINER, owned by the owner of public.users, with
--     EXECUTE revoked from PUBLIC (a trigger calls its function without an EXECUTE check). So a
--     writer with SELECT on users and INSERT/UPDATE on its own table, and an admin with DELETE
--     on users only, need nothing on fk_fix or on the other tables. The functions are
--     self-contained (they call no other fk_fix function), so the owner needs no grant on fk_fix.
--     026 runs as that owner or as a superuser; run by anyone else, it refuses first.
--   Row-level security. The owner is exempt from its tables' policies (unless FORCE), so a policy
--     never hides a referenced id or a holder from the checks. FORCE ROW LEVEL SECURITY on one of
--     the six tables would subject the owner to it: 026 refuses to start. The functions run with
--     row_security = off, so a FORCE added later makes the check fail (42501) rather than answer
--     from fewer rows. A table of the six owned by another role must grant the owner of users
--     what the checks need (SELECT; UPDATE on alert_conditions for FOR KEY SHARE) and have no
--     row-level security enabled, or 026 refuses.
--   Names. Everything is schema-qualified (public.*, fk_fix.*): the session's search_path (empty
--     in a data-only restore, or a tenant or role-named schema with its own users) changes
--     nothing. A SECURITY DEFINER function must not let the caller's search_path pick its
--     operators or functions (they would run as the owner): the guards on users and
--     alert_conditions run with search_path = pg_catalog, pg_temp; the four checks, on the hot
--     path, name every operator and function by schema instead (OPERATOR(pg_catalog.=),
--     pg_catalog.unnest, …), since a SET search_path on them costs more than the rest of a
--     single-row INSERT's check (measured: 20,000 single-row INSERTs, 1.04 s with it, 0.76 s
--     without, 0.79 s for the previous, SECURITY INVOKER, checks).
--   The application's triggers. 026's checks are AFTER triggers and see the row as stored, after
--     every BEFORE trigger. The UPDATE check fires on any UPDATE whose final row has a different
--     array (no UPDATE OF column list, which would miss an array changed by a BEFORE trigger), as
--     the guard on users / alert_conditions does for a changed id. Cascades (ON DELETE CASCADE
--     from users or from another table) run before the statement-level guard, which therefore
--     sees only the holders that remain, as a NO ACTION FK does.
--   Partitions and inheritance. A statement-level trigger on a parent does not fire for writes
--     to a child, and a child's rows escape a parent's index: 026 refuses to start if one of the
--     six tables is partitioned, has inheritance children or is not an ordinary table.
--   What was there before. A trigger under one of 026's names that does not call 026's function,
--     or a function under one of 026's names in fk_fix that 026 did not create (026 marks its
--     own with a comment): 026 refuses. An index under one of 026's names: adopted if it is a
--     valid, non-partial GIN index on exactly that column (down then leaves it), else 026
--     refuses. fk_fix.array_fk_indexes records which index 026 built, so down drops only those.
--   Oversized: the message lists at most 20 ids; arrays of any size are checked.
-- Known limit: under REPEATABLE READ or SERIALIZABLE the referenced-side guard cannot see rows
--   committed after its snapshot began (PostgreSQL's FK triggers use a special cross-check
--   snapshot that PL/pgSQL cannot); the guarantee holds under READ COMMITTED, the default.
-- Locks: CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE; each CREATE TRIGGER takes SHARE
--   ROW EXCLUSIVE on its table for a catalog-only change. Lock waits capped by lock_timeout = 1s.
-- Re-runnable: yes (CREATE OR REPLACE, IF NOT EXISTS, invalid index leftovers of 026's rebuilt).
-- Usage: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f 026_add_array_fk_validation.up.sql

-- Statement time is deliberately uncapped (lock waits are capped, per step): index builds and
-- VALIDATE scan whole tables without blocking writers, and a server-wide statement_timeout (common
-- on staging) would kill them half-way, leaving INVALID indexes behind. Reset at the end.
SET statement_timeout = 0;
-- Nor may a staging idle_in_transaction_session_timeout end the session between two statements of
-- one of its transactions (the client's round trip, longer on a busy machine): reset at the end too.
SET idle_in_transaction_session_timeout = 0;

-- 0. Preconditions, read-only: every refusal happens here, before anything changes --------------
DO $$
DECLARE
    problems text[] := '{}';
    table_name text;
    rel record;
    owner_name name;
    runner_is_superuser boolean := (SELECT r.rolsuper FROM pg_catalog.pg_roles AS r WHERE r.rolname = current_user);
    owner_exempt boolean;
    built_by_026 boolean;
    item record;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['users', 'alert_conditions', 'deployment_approvals', 'alert_escalations', 'approval_rules', 'alert_condition_groups']
    LOOP
        IF pg_catalog.to_regclass('public.' || table_name) IS NULL THEN
            problems := problems || format('table public.%s is missing: run 026 against the application database (its tables in schema public)', table_name);
        END IF;
    END LOOP;
    IF cardinality(problems) > 0 THEN
        RAISE EXCEPTION '026 precondition failed: %. Nothing was changed.', array_to_string(problems, '; ')
            USING ERRCODE = 'undefined_table';
    END IF;

    owner_name := (SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class AS c WHERE c.oid = 'public.users'::regclass);
    owner_exempt := (SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles AS r WHERE r.rolname = owner_name);

    FOR rel IN
        SELECT c.oid, c.relname, c.relkind, pg_catalog.pg_get_userbyid(c.relowner) AS relowner, c.relrowsecurity, c.relforcerowsecurity,
               t.name IN ('users', 'alert_conditions') AS referenced,
               (SELECT string_agg(i.inhrelid::regclass::text, ', ' ORDER BY i.inhrelid::regclass::text)
                FROM pg_catalog.pg_inherits AS i WHERE i.inhparent = c.oid) AS children,
               (SELECT string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhparent::regclass::text)
                FROM pg_catalog.pg_inherits AS i WHERE i.inhrelid = c.oid) AS parents
        FROM unnest(ARRAY['users', 'alert_conditions', 'deployment_approvals', 'alert_escalations', 'approval_rules', 'alert_condition_groups']) AS t (name)
        JOIN pg_catalog.pg_class AS c ON c.oid = pg_catalog.to_regclass('public.' || t.name)
    LOOP
        IF rel.relkind = 'p' THEN
            problems := problems || format('public.%s is partitioned: a statement trigger on it does not fire for writes to a partition; attach 026''s checks to each partition by hand, or run 026 on an unpartitioned table', rel.relname);
        ELSIF rel.relkind <> 'r' THEN
            problems := problems || format('public.%s is not an ordinary table (relkind %s): 026 can guard only tables', rel.relname, rel.relkind);
        END IF;
        IF rel.children IS NOT NULL THEN
            problems := problems || format('public.%s has inheritance children (%s): writes to a child escape the parent''s triggers and index; move their rows into public.%s or guard the children by hand', rel.relname, rel.children, rel.relname);
        END IF;
        IF rel.parents IS NOT NULL THEN
            problems := problems || format('public.%s inherits from %s: a query on the parent would count its rows, a native FK would not; detach it (ALTER TABLE public.%s NO INHERIT …)', rel.relname, rel.parents, rel.relname);
        END IF;
        IF rel.relforcerowsecurity AND NOT owner_exempt THEN
            problems := problems || format('public.%s has FORCE ROW LEVEL SECURITY, which subjects its owner, and so 026''s checks, to its policies (native RI is exempt): ALTER TABLE public.%s NO FORCE ROW LEVEL SECURITY', rel.relname, rel.relname);
        END IF;
        IF NOT pg_catalog.pg_has_role(owner_name, rel.relowner, 'USAGE') THEN
            IF rel.relrowsecurity AND NOT owner_exempt THEN
                problems := problems || format('public.%s has row-level security and is owned by %s, not by %s, the owner of users, as whom 026''s checks run, so its policies would apply to them: ALTER TABLE public.%s OWNER TO %I', rel.relname, rel.relowner, owner_name, rel.relname, owner_name);
            END IF;
            -- (has_table_privilege with a list is true if any one is held: ask one at a time.)
            IF NOT pg_catalog.has_table_privilege(owner_name, rel.oid, 'SELECT')
               OR (rel.referenced AND NOT pg_catalog.has_table_privilege(owner_name, rel.oid, 'UPDATE')) THEN
                problems := problems || format('public.%s is owned by %s, and %s, the owner of users, as whom 026''s checks run, lacks %s on it: ALTER TABLE public.%s OWNER TO %I, or GRANT it', rel.relname, rel.relowner, owner_name, CASE WHEN rel.referenced THEN 'SELECT and UPDATE (FOR KEY SHARE)' ELSE 'SELECT' END, rel.relname, owner_name);
            END IF;
        END IF;
        IF NOT runner_is_superuser AND NOT pg_catalog.pg_has_role(current_user, rel.relowner, 'USAGE') THEN
            problems := problems || format('026 is run by %s, who does not own public.%s (owner: %s): run 026 as the tables'' owner or as a superuser', current_user, rel.relname, rel.relowner);
        END IF;
    END LOOP;

    IF NOT runner_is_superuser AND current_user <> owner_name THEN
        IF NOT pg_catalog.pg_has_role(current_user, owner_name, 'MEMBER') THEN
            problems := problems || format('026 is run by %s, who cannot give its functions to %s, the owner of users: run 026 as %I or as a superuser', current_user, owner_name, owner_name);
        ELSIF pg_catalog.to_regnamespace('fk_fix') IS NOT NULL AND NOT pg_catalog.has_schema_privilege(owner_name, 'fk_fix', 'CREATE') THEN
            problems := problems || format('%s, the owner of users, cannot own functions in schema fk_fix (no CREATE on it): GRANT CREATE ON SCHEMA fk_fix TO %I, or run 026 as %I', owner_name, owner_name, owner_name);
        END IF;
    END IF;
    IF NOT runner_is_superuser AND NOT pg_catalog.has_schema_privilege('public', 'CREATE') THEN
        -- CREATE INDEX needs CREATE on the table's schema, not only the table's ownership.
        problems := problems || format('%s may not create the GIN indexes (no CREATE on schema public, which CREATE INDEX needs besides owning the table): GRANT CREATE ON SCHEMA public TO %I, or run 026 as the owner of the database', current_user, current_user);
    END IF;
    IF NOT runner_is_superuser THEN
        IF pg_catalog.to_regnamespace('fk_fix') IS NULL AND NOT pg_catalog.has_database_privilege(current_database(), 'CREATE') THEN
            problems := problems || format('schema fk_fix does not exist and %s may not create it (no CREATE on database %s): GRANT CREATE ON DATABASE %I TO %I, or run 025 first', current_user, current_database(), current_database(), current_user);
        ELSIF pg_catalog.to_regnamespace('fk_fix') IS NOT NULL AND NOT pg_catalog.has_schema_privilege('fk_fix', 'CREATE') THEN
            problems := problems || format('%s may not create functions in schema fk_fix (owned by %s): GRANT CREATE ON SCHEMA fk_fix TO %I, or run 026 as a superuser', current_user, (SELECT n.nspowner::regrole::text FROM pg_catalog.pg_namespace AS n WHERE n.nspname = 'fk_fix'), current_user);
        END IF;
    END IF;

    -- The array columns, and the keys they reference.
    FOR item IN
        SELECT t.tab, t.col, a.atttypid
        FROM (VALUES ('deployment_approvals', 'approved_by'), ('alert_escalations', 'user_ids'),
                     ('approval_rules', 'allowed_approvers'), ('alert_condition_groups', 'condition_ids')) AS t (tab, col)
        LEFT JOIN pg_catalog.pg_attribute AS a
          ON a.attrelid = pg_catalog.to_regclass('public.' || t.tab) AND a.attname = t.col AND NOT a.attisdropped
    LOOP
        IF item.atttypid IS DISTINCT FROM 'pg_catalog.int8[]'::regtype THEN
            problems := problems || format('public.%s.%s is %s, not bigint[]: 026 guards bigint[] columns', item.tab, item.col, coalesce(pg_catalog.format_type(item.atttypid, NULL), 'missing'));
        END IF;
    END LOOP;
    FOREACH table_name IN ARRAY ARRAY['users', 'alert_conditions']
    LOOP
        IF NOT EXISTS (
            SELECT FROM pg_catalog.pg_index AS i
            JOIN pg_catalog.pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = pg_catalog.to_regclass('public.' || table_name)
              AND i.indisunique AND i.indisvalid AND i.indimmediate AND i.indnkeyatts = 1 AND i.indpred IS NULL
              AND a.attname = 'id' AND a.atttypid = 'pg_catalog.int8'::regtype) THEN
            problems := problems || format('public.%s.id is not a bigint with a valid, immediate, non-partial unique index: an array element could match several rows or none reliably; ALTER TABLE public.%s ADD PRIMARY KEY (id)', table_name, table_name);
        END IF;
    END LOOP;

    -- Objects under 026's names that are not 026's.
    FOR item IN
        SELECT t.tab, t.trigger_name, t.function_name, p.oid AS function_oid, g.tgfoid
        FROM (VALUES
            ('deployment_approvals', 'trg_check_deployment_approvals_approved_by_insert', 'check_deployment_approvals_approved_by'),
            ('deployment_approvals', 'trg_check_deployment_approvals_approved_by_update', 'check_deployment_approvals_approved_by_update'),
            ('alert_escalations', 'trg_check_alert_escalations_user_ids_insert', 'check_alert_escalations_user_ids'),
            ('alert_escalations', 'trg_check_alert_escalations_user_ids_update', 'check_alert_escalations_user_ids_update'),
            ('approval_rules', 'trg_check_approval_rules_allowed_approvers_insert', 'check_approval_rules_allowed_approvers'),
            ('approval_rules', 'trg_check_approval_rules_allowed_approvers_update', 'check_approval_rules_allowed_approvers_update'),
            ('alert_condition_groups', 'trg_check_alert_condition_groups_condition_ids_insert', 'check_alert_condition_groups_condition_ids'),
            ('alert_condition_groups', 'trg_check_alert_condition_groups_condition_ids_update', 'check_alert_condition_groups_condition_ids_update'),
            ('users', 'trg_check_users_array_refs_delete', 'guard_users_array_refs'),
            ('users', 'trg_check_users_array_refs_update', 'guard_users_array_refs'),
            ('users', 'trg_check_users_array_refs_truncate', 'guard_users_array_refs'),
            ('alert_conditions', 'trg_check_alert_conditions_array_refs_delete', 'guard_alert_conditions_array_refs'),
            ('alert_conditions', 'trg_check_alert_conditions_array_refs_update', 'guard_alert_conditions_array_refs'),
            ('alert_conditions', 'trg_check_alert_conditions_array_refs_truncate', 'guard_alert_conditions_array_refs')) AS t (tab, trigger_name, function_name)
        JOIN pg_catalog.pg_trigger AS g ON g.tgrelid = pg_catalog.to_regclass('public.' || t.tab) AND g.tgname = t.trigger_name
        LEFT JOIN pg_catalog.pg_proc AS p ON p.pronamespace = pg_catalog.to_regnamespace('fk_fix') AND p.proname = t.function_name AND p.pronargs = 0
    LOOP
        IF item.function_oid IS DISTINCT FROM item.tgfoid THEN
            problems := problems || format('trigger %s on public.%s already exists and calls %s, not 026''s fk_fix.%s(): rename or drop it (026 would replace it)', item.trigger_name, item.tab, item.tgfoid::regprocedure, item.function_name);
        END IF;
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure::text AS signature
        FROM pg_catalog.pg_proc AS p
        WHERE p.pronamespace = pg_catalog.to_regnamespace('fk_fix')
          AND p.proname IN ('check_deployment_approvals_approved_by', 'check_alert_escalations_user_ids', 'check_approval_rules_allowed_approvers',
                            'check_alert_condition_groups_condition_ids', 'check_deployment_approvals_approved_by_update',
                            'check_alert_escalations_user_ids_update', 'check_approval_rules_allowed_approvers_update',
                            'check_alert_condition_groups_condition_ids_update', 'guard_users_array_refs', 'guard_alert_conditions_array_refs')
          AND pg_catalog.obj_description(p.oid, 'pg_proc') IS DISTINCT FROM 'created by 026_add_array_fk_validation'
    LOOP
        problems := problems || format('function %s exists and was not created by 026: rename or drop it (026 would replace it)', item.signature);
    END LOOP;
    FOR item IN
        SELECT t.tab, t.col, t.index_name, c.oid AS index_oid,
               x.indrelid IS NOT DISTINCT FROM pg_catalog.to_regclass('public.' || t.tab)
               AND m.amname = 'gin' AND x.indnkeyatts = 1 AND x.indexprs IS NULL AND x.indpred IS NULL AND x.indisvalid
               AND x.indkey[0] = (SELECT a.attnum FROM pg_catalog.pg_attribute AS a
                                  WHERE a.attrelid = pg_catalog.to_regclass('public.' || t.tab) AND a.attname = t.col)
               AND x.indclass[0] = (SELECT o.oid FROM pg_catalog.pg_opclass AS o JOIN pg_catalog.pg_am AS am ON am.oid = o.opcmethod
                                    WHERE am.amname = 'gin' AND o.opcdefault AND o.opcintype = 'pg_catalog.anyarray'::regtype)
               IS TRUE AS equivalent
        FROM (VALUES ('deployment_approvals', 'approved_by', 'idx_deployment_approvals_approved_by_gin'),
                     ('alert_escalations', 'user_ids', 'idx_alert_escalations_user_ids_gin'),
                     ('approval_rules', 'allowed_approvers', 'idx_approval_rules_allowed_approvers_gin'),
                     ('alert_condition_groups', 'condition_ids', 'idx_alert_condition_groups_condition_ids_gin')) AS t (tab, col, index_name)
        JOIN pg_catalog.pg_class AS c ON c.relname = t.index_name AND c.relnamespace = 'public'::regnamespace
        LEFT JOIN pg_catalog.pg_index AS x ON x.indexrelid = c.oid
        LEFT JOIN pg_catalog.pg_am AS m ON m.oid = c.relam
    LOOP
        -- An index 026 built (recorded below) may be an INVALID leftover, rebuilt in step 2.
        built_by_026 := false;
        IF pg_catalog.to_regclass('fk_fix.array_fk_indexes') IS NOT NULL THEN
            EXECUTE 'SELECT coalesce(bool_or(created_by_026), false) FROM fk_fix.array_fk_indexes WHERE index_name = $1'
                INTO built_by_026 USING item.index_name;
        END IF;
        IF NOT built_by_026 AND NOT item.equivalent THEN
            problems := problems || format('public.%s already exists and is not a valid, non-partial GIN index on public.%s (%s) alone: %s; rename or drop it (026 would otherwise keep it in place of its own)', item.index_name, item.tab, item.col, coalesce(pg_catalog.pg_get_indexdef(item.index_oid), 'not an index'));
        END IF;
    END LOOP;

    IF cardinality(problems) > 0 THEN
        RAISE EXCEPTION '026 precondition failed: %. Nothing was changed.', array_to_string(problems, '; ')
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;

-- 1. fk_fix and the record of which GIN index 026 builds -----------------------------------------
-- Recorded before the build, so that a build interrupted and resumed is still known as 026's, and
-- an equivalent index that was there before (adopted, see above) is never dropped by down.
BEGIN;
SET LOCAL lock_timeout = '1s';
DO $$
BEGIN
    -- CREATE SCHEMA IF NOT EXISTS checks CREATE on the database even when the schema exists.
    IF pg_catalog.to_regnamespace('fk_fix') IS NULL THEN
        CREATE SCHEMA fk_fix;
    END IF;
END
$$;
CREATE TABLE IF NOT EXISTS fk_fix.array_fk_indexes (
    index_name     text PRIMARY KEY,
    created_by_026 boolean NOT NULL
);
INSERT INTO fk_fix.array_fk_indexes (index_name, created_by_026)
SELECT t.index_name, pg_catalog.to_regclass('public.' || t.index_name) IS NULL
FROM (VALUES ('idx_deployment_approvals_approved_by_gin'), ('idx_alert_escalations_user_ids_gin'),
             ('idx_approval_rules_allowed_approvers_gin'), ('idx_alert_condition_groups_condition_ids_gin')) AS t (index_name)
ON CONFLICT (index_name) DO NOTHING;
-- Owned by the tables' owner, so that the owner can run down after a superuser ran up.
DO $$
DECLARE
    owner_name text := (SELECT c.relowner::regrole::text FROM pg_catalog.pg_class AS c WHERE c.oid = 'public.users'::regclass);
BEGIN
    IF (SELECT c.relowner::regrole::text FROM pg_catalog.pg_class AS c WHERE c.oid = 'fk_fix.array_fk_indexes'::regclass) <> owner_name THEN
        EXECUTE format('ALTER TABLE fk_fix.array_fk_indexes OWNER TO %s', owner_name);
    END IF;
END
$$;
COMMIT;

-- 2. GIN indexes for the referenced-side checks, built without blocking writers ----------------
-- CREATE INDEX CONCURRENTLY runs outside any transaction block, where SET LOCAL has no effect.
SET lock_timeout = '1s';

-- An interrupted concurrent build leaves an INVALID index that IF NOT EXISTS would keep: drop it
-- (only 026's own: an index that was there before passed the precondition as valid).
DO $$
DECLARE
    leftover text;
BEGIN
    FOR leftover IN
        SELECT i.indexrelid::regclass::text
        FROM fk_fix.array_fk_indexes AS r
        JOIN pg_catalog.pg_index AS i ON i.indexrelid = pg_catalog.to_regclass('public.' || r.index_name)
        WHERE r.created_by_026 AND NOT i.indisvalid
    LOOP
        EXECUTE format('DROP INDEX %s', leftover);
    END LOOP;
END
$$;

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_deployment_approvals_approved_by_gin ON public.deployment_approvals USING gin (approved_by);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_alert_escalations_user_ids_gin ON public.alert_escalations USING gin (user_ids);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_approval_rules_allowed_approvers_gin ON public.approval_rules USING gin (allowed_approvers);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_alert_condition_groups_condition_ids_gin ON public.alert_condition_groups USING gin (condition_ids);

RESET lock_timeout;

-- 3. Checking functions --------------------------------------------------------------------------
-- Every one SECURITY DEFINER (owned by the owner of users, see the header), every name
-- qualified (the checks: operators too; the guards: a fixed search_path), and self-contained:
-- calling another fk_fix function would need USAGE on fk_fix for the owner. row_security = off:
-- never answer from fewer rows.
BEGIN;
SET LOCAL lock_timeout = '1s';

-- Two functions per array column: the INSERT check, once per statement, and the UPDATE check,
-- per row whose array changed. Two, not one branching on TG_LEVEL: INSERT is the hot path, and
-- every PL/pgSQL expression it evaluates (an IF included) is set up anew in each transaction,
-- ~2k instructions, 4k for the TG_LEVEL test (measured; docs/benchmarks.md, "026 trigger cost").
-- For a single-row INSERT the check's cost is fixed per-statement overhead, mostly executor
-- start-up of the query's plan nodes, so the INSERT check is one query with as few plan nodes as
-- do the job and no aggregate, and one IF: it returns the rows whose array holds an element that
-- is NULL or matches no row, and the common case (none) ends there. Only when something is wrong
-- does a second query build the distinct, sorted list of missing ids and the rejection. Per row,
-- one subplan looks all the row's elements up in one index scan (id = ANY (array): one descent
-- per distinct element) and locks what it finds FOR KEY SHARE; the row is rejected unless its
-- array is contained in what was found (<@: a NULL element is contained in nothing, an empty
-- array in anything, a NULL array, nullable alert_escalations.user_ids, is not compared,
-- duplicates count once, and every element of a multi-dimensional array is compared). The lock
-- keeps the subplan a subplan (the planner cannot turn a locking sublink into a join), so the
-- cached plan stays a probe per row whatever the size of the statement it was planned for (a join
-- could be planned as a hash over all users for a first, bulk, statement and reused for every
-- single-row one). An element repeated in the statement is locked again by the same transaction,
-- which costs about what a lookup does. The second query locks again what it finds: an id
-- committed by someone else in between is then there, locked, and not an error. The UPDATE check
-- probes each element of NEW's array (NOT EXISTS … FOR KEY SHARE), the same rules.
-- Why not a row-level trigger for single-row INSERTs: measured, it costs more than this one (a
-- row trigger's call is no cheaper than a statement trigger's, and its query takes NEW's array as
-- a parameter, which keeps PL/pgSQL re-planning it unless the function also sets plan_cache_mode),
-- and a row trigger cannot know whether its statement has more rows, so a bulk INSERT would pay a
-- PL/pgSQL call and a query per row, several times this check's cost per row.
-- jit = off: PL/pgSQL caches each query's plan for the session, and the JIT decision is part of
-- the plan, taken from the cost estimated for the first statement (a transition table is
-- estimated at its actual size). A first INSERT of a few thousand rows would JIT-compile the
-- cached plan, and every later single-row INSERT on that connection would pay the compilation
-- again, ~4 ms each (measured: 0.1 ms without). Setting it on the function costs ~1.5 µs a call.
CREATE OR REPLACE FUNCTION fk_fix.check_deployment_approvals_approved_by()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET row_security = off
SET jit = off
AS $$
BEGIN
    PERFORM FROM new_rows AS n
    WHERE NOT (n.approved_by OPERATOR(pg_catalog.<@) ARRAY(SELECT t.id FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) ANY (n.approved_by) FOR KEY SHARE));
    IF FOUND THEN
        DECLARE
            missing bigint[];
            has_null boolean;
        BEGIN
            SELECT pg_catalog.array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), pg_catalog.bool_or(e.id IS NULL)
            INTO missing, has_null
            FROM (SELECT pg_catalog.unnest(n.approved_by) AS id FROM new_rows AS n) AS e
            WHERE NOT EXISTS (SELECT FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION 'Invalid user IDs in deployment_approvals.approved_by: %', pg_catalog.array_to_string(missing[1:20], ', ')
                        OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                   THEN pg_catalog.format(' and %s more', pg_catalog.cardinality(missing) OPERATOR(pg_catalog.-) 20) ELSE '' END
                    USING ERRCODE = 'foreign_key_violation',
                          DETAIL = pg_catalog.format('Key (deployment_approvals.approved_by)=(%s) is not present in table "users".', missing[1:20])
                                OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                           THEN pg_catalog.format(' (%s ids in all)', pg_catalog.cardinality(missing)) ELSE '' END,
                          HINT = CASE WHEN has_null THEN 'The array also holds NULL elements, which are not allowed.'
                                      ELSE 'Insert the rows into "users" first, or leave these ids out.' END;
            END IF;
            IF has_null THEN
                RAISE EXCEPTION 'Invalid user IDs in deployment_approvals.approved_by: NULL elements are not allowed'
                    USING ERRCODE = 'foreign_key_violation',
                          DETAIL = 'Key (deployment_approvals.approved_by) holds a NULL element, which references no row of "users".';
            END IF;
        END;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.check_deployment_approvals_approved_by_update()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET row_security = off
SET jit = off
AS $$
DECLARE
    missing bigint[];
    has_null boolean;
BEGIN
    PERFORM FROM pg_catalog.unnest(NEW.approved_by) AS e (id)
    WHERE NOT EXISTS (SELECT FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
    IF FOUND THEN
        SELECT pg_catalog.array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), pg_catalog.bool_or(e.id IS NULL)
        INTO missing, has_null
        FROM pg_catalog.unnest(NEW.approved_by) AS e (id)
        WHERE NOT EXISTS (SELECT FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
    END IF;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'Invalid user IDs in deployment_approvals.approved_by: %', pg_catalog.array_to_string(missing[1:20], ', ')
                OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                           THEN pg_catalog.format(' and %s more', pg_catalog.cardinality(missing) OPERATOR(pg_catalog.-) 20) ELSE '' END
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = pg_catalog.format('Key (deployment_approvals.approved_by)=(%s) is not present in table "users".', missing[1:20])
                        OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                   THEN pg_catalog.format(' (%s ids in all)', pg_catalog.cardinality(missing)) ELSE '' END,
                  HINT = CASE WHEN has_null THEN 'The array also holds NULL elements, which are not allowed.'
                              ELSE 'Insert the rows into "users" first, or leave these ids out.' END;
    END IF;
    IF has_null THEN
        RAISE EXCEPTION 'Invalid user IDs in deployment_approvals.approved_by: NULL elements are not allowed'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'Key (deployment_approvals.approved_by) holds a NULL element, which references no row of "users".';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.check_alert_escalations_user_ids()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET row_security = off
SET jit = off
AS $$
BEGIN
    PERFORM FROM new_rows AS n
    WHERE NOT (n.user_ids OPERATOR(pg_catalog.<@) ARRAY(SELECT t.id FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) ANY (n.user_ids) FOR KEY SHARE));
    IF FOUND THEN
        DECLARE
            missing bigint[];
            has_null boolean;
        BEGIN
            SELECT pg_catalog.array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), pg_catalog.bool_or(e.id IS NULL)
            INTO missing, has_null
            FROM (SELECT pg_catalog.unnest(n.user_ids) AS id FROM new_rows AS n) AS e
            WHERE NOT EXISTS (SELECT FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION 'Invalid user IDs in alert_escalations.user_ids: %', pg_catalog.array_to_string(missing[1:20], ', ')
                        OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                   THEN pg_catalog.format(' and %s more', pg_catalog.cardinality(missing) OPERATOR(pg_catalog.-) 20) ELSE '' END
                    USING ERRCODE = 'foreign_key_violation',
                          DETAIL = pg_catalog.format('Key (alert_escalations.user_ids)=(%s) is not present in table "users".', missing[1:20])
                                OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                           THEN pg_catalog.format(' (%s ids in all)', pg_catalog.cardinality(missing)) ELSE '' END,
                          HINT = CASE WHEN has_null THEN 'The array also holds NULL elements, which are not allowed.'
                                      ELSE 'Insert the rows into "users" first, or leave these ids out.' END;
            END IF;
            IF has_null THEN
                RAISE EXCEPTION 'Invalid user IDs in alert_escalations.user_ids: NULL elements are not allowed'
                    USING ERRCODE = 'foreign_key_violation',
                          DETAIL = 'Key (alert_escalations.user_ids) holds a NULL element, which references no row of "users".';
            END IF;
        END;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.check_alert_escalations_user_ids_update()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET row_security = off
SET jit = off
AS $$
DECLARE
    missing bigint[];
    has_null boolean;
BEGIN
    PERFORM FROM pg_catalog.unnest(NEW.user_ids) AS e (id)
    WHERE NOT EXISTS (SELECT FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
    IF FOUND THEN
        SELECT pg_catalog.array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), pg_catalog.bool_or(e.id IS NULL)
        INTO missing, has_null
        FROM pg_catalog.unnest(NEW.user_ids) AS e (id)
        WHERE NOT EXISTS (SELECT FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
    END IF;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'Invalid user IDs in alert_escalations.user_ids: %', pg_catalog.array_to_string(missing[1:20], ', ')
                OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                           THEN pg_catalog.format(' and %s more', pg_catalog.cardinality(missing) OPERATOR(pg_catalog.-) 20) ELSE '' END
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = pg_catalog.format('Key (alert_escalations.user_ids)=(%s) is not present in table "users".', missing[1:20])
                        OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                   THEN pg_catalog.format(' (%s ids in all)', pg_catalog.cardinality(missing)) ELSE '' END,
                  HINT = CASE WHEN has_null THEN 'The array also holds NULL elements, which are not allowed.'
                              ELSE 'Insert the rows into "users" first, or leave these ids out.' END;
    END IF;
    IF has_null THEN
        RAISE EXCEPTION 'Invalid user IDs in alert_escalations.user_ids: NULL elements are not allowed'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'Key (alert_escalations.user_ids) holds a NULL element, which references no row of "users".';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.check_approval_rules_allowed_approvers()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET row_security = off
SET jit = off
AS $$
BEGIN
    PERFORM FROM new_rows AS n
    WHERE NOT (n.allowed_approvers OPERATOR(pg_catalog.<@) ARRAY(SELECT t.id FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) ANY (n.allowed_approvers) FOR KEY SHARE));
    IF FOUND THEN
        DECLARE
            missing bigint[];
            has_null boolean;
        BEGIN
            SELECT pg_catalog.array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), pg_catalog.bool_or(e.id IS NULL)
            INTO missing, has_null
            FROM (SELECT pg_catalog.unnest(n.allowed_approvers) AS id FROM new_rows AS n) AS e
            WHERE NOT EXISTS (SELECT FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION 'Invalid user IDs in approval_rules.allowed_approvers: %', pg_catalog.array_to_string(missing[1:20], ', ')
                        OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                   THEN pg_catalog.format(' and %s more', pg_catalog.cardinality(missing) OPERATOR(pg_catalog.-) 20) ELSE '' END
                    USING ERRCODE = 'foreign_key_violation',
                          DETAIL = pg_catalog.format('Key (approval_rules.allowed_approvers)=(%s) is not present in table "users".', missing[1:20])
                                OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                           THEN pg_catalog.format(' (%s ids in all)', pg_catalog.cardinality(missing)) ELSE '' END,
                          HINT = CASE WHEN has_null THEN 'The array also holds NULL elements, which are not allowed.'
                                      ELSE 'Insert the rows into "users" first, or leave these ids out.' END;
            END IF;
            IF has_null THEN
                RAISE EXCEPTION 'Invalid user IDs in approval_rules.allowed_approvers: NULL elements are not allowed'
                    USING ERRCODE = 'foreign_key_violation',
                          DETAIL = 'Key (approval_rules.allowed_approvers) holds a NULL element, which references no row of "users".';
            END IF;
        END;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.check_approval_rules_allowed_approvers_update()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET row_security = off
SET jit = off
AS $$
DECLARE
    missing bigint[];
    has_null boolean;
BEGIN
    PERFORM FROM pg_catalog.unnest(NEW.allowed_approvers) AS e (id)
    WHERE NOT EXISTS (SELECT FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
    IF FOUND THEN
        SELECT pg_catalog.array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), pg_catalog.bool_or(e.id IS NULL)
        INTO missing, has_null
        FROM pg_catalog.unnest(NEW.allowed_approvers) AS e (id)
        WHERE NOT EXISTS (SELECT FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
    END IF;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'Invalid user IDs in approval_rules.allowed_approvers: %', pg_catalog.array_to_string(missing[1:20], ', ')
                OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                           THEN pg_catalog.format(' and %s more', pg_catalog.cardinality(missing) OPERATOR(pg_catalog.-) 20) ELSE '' END
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = pg_catalog.format('Key (approval_rules.allowed_approvers)=(%s) is not present in table "users".', missing[1:20])
                        OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                   THEN pg_catalog.format(' (%s ids in all)', pg_catalog.cardinality(missing)) ELSE '' END,
                  HINT = CASE WHEN has_null THEN 'The array also holds NULL elements, which are not allowed.'
                              ELSE 'Insert the rows into "users" first, or leave these ids out.' END;
    END IF;
    IF has_null THEN
        RAISE EXCEPTION 'Invalid user IDs in approval_rules.allowed_approvers: NULL elements are not allowed'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'Key (approval_rules.allowed_approvers) holds a NULL element, which references no row of "users".';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.check_alert_condition_groups_condition_ids()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET row_security = off
SET jit = off
AS $$
BEGIN
    PERFORM FROM new_rows AS n
    WHERE NOT (n.condition_ids OPERATOR(pg_catalog.<@) ARRAY(SELECT t.id FROM public.alert_conditions AS t WHERE t.id OPERATOR(pg_catalog.=) ANY (n.condition_ids) FOR KEY SHARE));
    IF FOUND THEN
        DECLARE
            missing bigint[];
            has_null boolean;
        BEGIN
            SELECT pg_catalog.array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), pg_catalog.bool_or(e.id IS NULL)
            INTO missing, has_null
            FROM (SELECT pg_catalog.unnest(n.condition_ids) AS id FROM new_rows AS n) AS e
            WHERE NOT EXISTS (SELECT FROM public.alert_conditions AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION 'Invalid alert condition IDs in alert_condition_groups.condition_ids: %', pg_catalog.array_to_string(missing[1:20], ', ')
                        OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                   THEN pg_catalog.format(' and %s more', pg_catalog.cardinality(missing) OPERATOR(pg_catalog.-) 20) ELSE '' END
                    USING ERRCODE = 'foreign_key_violation',
                          DETAIL = pg_catalog.format('Key (alert_condition_groups.condition_ids)=(%s) is not present in table "alert_conditions".', missing[1:20])
                                OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                           THEN pg_catalog.format(' (%s ids in all)', pg_catalog.cardinality(missing)) ELSE '' END,
                          HINT = CASE WHEN has_null THEN 'The array also holds NULL elements, which are not allowed.'
                                      ELSE 'Insert the rows into "alert_conditions" first, or leave these ids out.' END;
            END IF;
            IF has_null THEN
                RAISE EXCEPTION 'Invalid alert condition IDs in alert_condition_groups.condition_ids: NULL elements are not allowed'
                    USING ERRCODE = 'foreign_key_violation',
                          DETAIL = 'Key (alert_condition_groups.condition_ids) holds a NULL element, which references no row of "alert_conditions".';
            END IF;
        END;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.check_alert_condition_groups_condition_ids_update()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET row_security = off
SET jit = off
AS $$
DECLARE
    missing bigint[];
    has_null boolean;
BEGIN
    PERFORM FROM pg_catalog.unnest(NEW.condition_ids) AS e (id)
    WHERE NOT EXISTS (SELECT FROM public.alert_conditions AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
    IF FOUND THEN
        SELECT pg_catalog.array_agg(DISTINCT e.id ORDER BY e.id) FILTER (WHERE e.id IS NOT NULL), pg_catalog.bool_or(e.id IS NULL)
        INTO missing, has_null
        FROM pg_catalog.unnest(NEW.condition_ids) AS e (id)
        WHERE NOT EXISTS (SELECT FROM public.alert_conditions AS t WHERE t.id OPERATOR(pg_catalog.=) e.id FOR KEY SHARE);
    END IF;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'Invalid alert condition IDs in alert_condition_groups.condition_ids: %', pg_catalog.array_to_string(missing[1:20], ', ')
                OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                           THEN pg_catalog.format(' and %s more', pg_catalog.cardinality(missing) OPERATOR(pg_catalog.-) 20) ELSE '' END
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = pg_catalog.format('Key (alert_condition_groups.condition_ids)=(%s) is not present in table "alert_conditions".', missing[1:20])
                        OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 20
                                   THEN pg_catalog.format(' (%s ids in all)', pg_catalog.cardinality(missing)) ELSE '' END,
                  HINT = CASE WHEN has_null THEN 'The array also holds NULL elements, which are not allowed.'
                              ELSE 'Insert the rows into "alert_conditions" first, or leave these ids out.' END;
    END IF;
    IF has_null THEN
        RAISE EXCEPTION 'Invalid alert condition IDs in alert_condition_groups.condition_ids: NULL elements are not allowed'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'Key (alert_condition_groups.condition_ids) holds a NULL element, which references no row of "alert_conditions".';
    END IF;
    RETURN NULL;
END
$$;

-- Referenced side: no user may go (or change id) while an array still holds it, and users may not
-- be truncated while an array not truncated with it holds an id. The GIN indexes answer `@>` per
-- id. AFTER triggers, so under READ COMMITTED they see rows that a concurrent insert committed
-- while this DELETE waited for their FOR KEY SHARE lock, and the effect of cascades.
-- TRUNCATE fires no DELETE trigger, so without the TRUNCATE guard a TRUNCATE of users (…
-- CASCADE, once 025's FKs exist) would leave every array element pointing at nothing; a native
-- FK refuses to truncate the table it references unless the referencing table goes in the same
-- statement. AFTER TRUNCATE, so that a TRUNCATE that also empties the array tables passes: by then
-- the referenced table is empty, and any non-NULL element still in an array references nothing.
CREATE OR REPLACE FUNCTION fk_fix.guard_users_array_refs()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET row_security = off
AS $$
DECLARE
    gone bigint[];
    held text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        SELECT string_agg(h.column_ref, ', ' ORDER BY h.column_ref) INTO held
        FROM (
            SELECT 'deployment_approvals.approved_by' AS column_ref
            WHERE EXISTS (SELECT 1 FROM public.deployment_approvals AS d WHERE EXISTS (SELECT 1 FROM unnest(d.approved_by) AS e (id) WHERE e.id IS NOT NULL))
            UNION ALL
            SELECT 'alert_escalations.user_ids'
            WHERE EXISTS (SELECT 1 FROM public.alert_escalations AS a WHERE EXISTS (SELECT 1 FROM unnest(a.user_ids) AS e (id) WHERE e.id IS NOT NULL))
            UNION ALL
            SELECT 'approval_rules.allowed_approvers'
            WHERE EXISTS (SELECT 1 FROM public.approval_rules AS r WHERE EXISTS (SELECT 1 FROM unnest(r.allowed_approvers) AS e (id) WHERE e.id IS NOT NULL))
        ) AS h;
        IF held IS NOT NULL THEN
            RAISE EXCEPTION 'cannot truncate table "users": Invalid user IDs would remain in %', held
                USING ERRCODE = 'foreign_key_violation',
                      HINT = 'Truncate those tables in the same statement, or empty their arrays first.';
        END IF;
        RETURN NULL;
    END IF;

    IF TG_OP = 'DELETE' THEN
        gone := ARRAY(SELECT o.id FROM old_rows AS o);
    ELSE
        gone := ARRAY[OLD.id];
    END IF;
    SELECT string_agg(format('users.id %s held by %s', r.id, r.holder), '; ' ORDER BY r.id, r.holder) INTO held
    FROM (
        SELECT g.id, 'deployment_approvals.approved_by' AS holder FROM unnest(gone) AS g (id)
        WHERE EXISTS (SELECT 1 FROM public.deployment_approvals AS d WHERE d.approved_by @> ARRAY[g.id])
        UNION ALL
        SELECT g.id, 'alert_escalations.user_ids' FROM unnest(gone) AS g (id)
        WHERE EXISTS (SELECT 1 FROM public.alert_escalations AS a WHERE a.user_ids @> ARRAY[g.id])
        UNION ALL
        SELECT g.id, 'approval_rules.allowed_approvers' FROM unnest(gone) AS g (id)
        WHERE EXISTS (SELECT 1 FROM public.approval_rules AS r WHERE r.allowed_approvers @> ARRAY[g.id])
    ) AS r;
    IF held IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on table "users" violates array references: Invalid user IDs would remain'
            USING ERRCODE = 'foreign_key_violation', DETAIL = held;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION fk_fix.guard_alert_conditions_array_refs()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET row_security = off
AS $$
DECLARE
    gone bigint[];
    held text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        IF EXISTS (SELECT 1 FROM public.alert_condition_groups AS g WHERE EXISTS (SELECT 1 FROM unnest(g.condition_ids) AS e (id) WHERE e.id IS NOT NULL)) THEN
            RAISE EXCEPTION 'cannot truncate table "alert_conditions": Invalid alert condition IDs would remain in alert_condition_groups.condition_ids'
                USING ERRCODE = 'foreign_key_violation',
                      HINT = 'Truncate alert_condition_groups in the same statement, or empty its arrays first.';
        END IF;
        RETURN NULL;
    END IF;

    IF TG_OP = 'DELETE' THEN
        gone := ARRAY(SELECT o.id FROM old_rows AS o);
    ELSE
        gone := ARRAY[OLD.id];
    END IF;
    SELECT string_agg(format('alert_conditions.id %s held by alert_condition_groups.condition_ids', g.id), '; ' ORDER BY g.id) INTO held
    FROM unnest(gone) AS g (id)
    WHERE EXISTS (SELECT 1 FROM public.alert_condition_groups AS a WHERE a.condition_ids @> ARRAY[g.id]);
    IF held IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on table "alert_conditions" violates array references: Invalid alert condition IDs would remain'
            USING ERRCODE = 'foreign_key_violation', DETAIL = held;
    END IF;
    RETURN NULL;
END
$$;

-- 026's mark (down drops only marked functions; up refuses to replace an unmarked one), owner,
-- and no EXECUTE for PUBLIC: only triggers call these, and a trigger needs no EXECUTE.
DO $$
DECLARE
    owner_name text := (SELECT c.relowner::regrole::text FROM pg_catalog.pg_class AS c WHERE c.oid = 'public.users'::regclass);
    fn regprocedure;
BEGIN
    FOREACH fn IN ARRAY ARRAY['fk_fix.check_deployment_approvals_approved_by()', 'fk_fix.check_alert_escalations_user_ids()',
                              'fk_fix.check_approval_rules_allowed_approvers()', 'fk_fix.check_alert_condition_groups_condition_ids()',
                              'fk_fix.check_deployment_approvals_approved_by_update()', 'fk_fix.check_alert_escalations_user_ids_update()',
                              'fk_fix.check_approval_rules_allowed_approvers_update()', 'fk_fix.check_alert_condition_groups_condition_ids_update()',
                              'fk_fix.guard_users_array_refs()', 'fk_fix.guard_alert_conditions_array_refs()']::regprocedure[]
    LOOP
        EXECUTE format('COMMENT ON FUNCTION %s IS %L', fn, 'created by 026_add_array_fk_validation');
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', fn);
        IF (SELECT p.proowner::regrole::text FROM pg_catalog.pg_proc AS p WHERE p.oid = fn) <> owner_name THEN
            EXECUTE format('ALTER FUNCTION %s OWNER TO %s', fn, owner_name);
        END IF;
    END LOOP;
END
$$;

COMMIT;

-- 4. Triggers, one short transaction per table ---------------------------------------------------
-- The UPDATE triggers have no column list (UPDATE OF …): a column trigger does not fire when a
-- BEFORE trigger, not the statement, changed the column. WHEN compares the final rows.
BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_deployment_approvals_approved_by_insert
    AFTER INSERT ON public.deployment_approvals REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.check_deployment_approvals_approved_by();
CREATE OR REPLACE TRIGGER trg_check_deployment_approvals_approved_by_update
    AFTER UPDATE ON public.deployment_approvals
    FOR EACH ROW WHEN (OLD.approved_by IS DISTINCT FROM NEW.approved_by)
    EXECUTE FUNCTION fk_fix.check_deployment_approvals_approved_by_update();
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_alert_escalations_user_ids_insert
    AFTER INSERT ON public.alert_escalations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.check_alert_escalations_user_ids();
CREATE OR REPLACE TRIGGER trg_check_alert_escalations_user_ids_update
    AFTER UPDATE ON public.alert_escalations
    FOR EACH ROW WHEN (OLD.user_ids IS DISTINCT FROM NEW.user_ids)
    EXECUTE FUNCTION fk_fix.check_alert_escalations_user_ids_update();
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_approval_rules_allowed_approvers_insert
    AFTER INSERT ON public.approval_rules REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.check_approval_rules_allowed_approvers();
CREATE OR REPLACE TRIGGER trg_check_approval_rules_allowed_approvers_update
    AFTER UPDATE ON public.approval_rules
    FOR EACH ROW WHEN (OLD.allowed_approvers IS DISTINCT FROM NEW.allowed_approvers)
    EXECUTE FUNCTION fk_fix.check_approval_rules_allowed_approvers_update();
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_alert_condition_groups_condition_ids_insert
    AFTER INSERT ON public.alert_condition_groups REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.check_alert_condition_groups_condition_ids();
CREATE OR REPLACE TRIGGER trg_check_alert_condition_groups_condition_ids_update
    AFTER UPDATE ON public.alert_condition_groups
    FOR EACH ROW WHEN (OLD.condition_ids IS DISTINCT FROM NEW.condition_ids)
    EXECUTE FUNCTION fk_fix.check_alert_condition_groups_condition_ids_update();
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_users_array_refs_delete
    AFTER DELETE ON public.users REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.guard_users_array_refs();
CREATE OR REPLACE TRIGGER trg_check_users_array_refs_update
    AFTER UPDATE ON public.users
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION fk_fix.guard_users_array_refs();
CREATE OR REPLACE TRIGGER trg_check_users_array_refs_truncate
    AFTER TRUNCATE ON public.users
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.guard_users_array_refs();
COMMIT;

BEGIN;
SET LOCAL lock_timeout = '1s';
CREATE OR REPLACE TRIGGER trg_check_alert_conditions_array_refs_delete
    AFTER DELETE ON public.alert_conditions REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.guard_alert_conditions_array_refs();
CREATE OR REPLACE TRIGGER trg_check_alert_conditions_array_refs_update
    AFTER UPDATE ON public.alert_conditions
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION fk_fix.guard_alert_conditions_array_refs();
CREATE OR REPLACE TRIGGER trg_check_alert_conditions_array_refs_truncate
    AFTER TRUNCATE ON public.alert_conditions
    FOR EACH STATEMENT EXECUTE FUNCTION fk_fix.guard_alert_conditions_array_refs();
COMMIT;

RESET statement_timeout;
RESET idle_in_transaction_session_timeout;
