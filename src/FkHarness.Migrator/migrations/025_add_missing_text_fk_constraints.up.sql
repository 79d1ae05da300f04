-- 025_add_missing_text_fk_constraints.up.sql — nine TEXT foreign keys to users.user_id.
--
-- What it does, in this order (each step its own short transaction, see "Transactions"):
--   0. Checks preconditions and changes nothing if they fail: every table exists, users.user_id
--      has a unique index (an FK needs one), every source table has a bigint primary key `id`,
--      and the staging cases listed below ("On a schema that differs from the baseline").
--   1. Creates fk_fix.text_fk_plan (the nine relationships, as data) and fk_fix.quarantine, and
--      checks the indexes and FKs already there (see "Objects that predate 025"); a refusal rolls
--      this transaction back, so nothing is changed.
--   1b. Quarantines and removes the orphans too long for an index entry (they would fail step 2).
--   2. Builds the partial indexes (WHERE col IS NOT NULL) CONCURRENTLY: writers are not blocked.
--      An INVALID index left by an interrupted build is dropped and rebuilt. First, so that from
--      the moment the FKs exist, the check they make whenever a user is deleted or its user_id
--      changed is an index lookup in each of the nine tables, not a scan of each: with the FKs
--      first and the indexes last, every such write stalled for the whole cleanup (2.2 s per user
--      delete with 840,000 rows in the nine tables, in the live-traffic soak; it grows with them).
--   3. Adds each FK as NOT VALID. From that instant every new or updated row is checked, so no
--      new orphan can slip in while the old ones are cleaned: there is no window.
--   4. Quarantines the old orphans, then deletes the row (dashboard_widgets, user_preferences:
--      NOT NULL columns) or sets the value to NULL (the seven nullable columns). Every deleted row
--      and every nulled value is first copied into fk_fix.quarantine with the relationship and the
--      reason, so the down script can put it all back. One read-only anti-join pass per table
--      finds the orphans (and one read of users, for the reasons); then batches of 5,000 orphans,
--      one transaction each: row locks on the orphans only, held for milliseconds.
--   5. VALIDATEs each FK: a scan under SHARE UPDATE EXCLUSIVE, which does not block writers.
-- Orphan: a value that is NOT NULL and equals no users.user_id exactly ('' and case/whitespace
--   variants included), compared as the FK will (see "Orphan = what the FK will refuse" below).
--   NOT EXISTS, never NOT IN (subquery), which a single NULL user_id defeats.
-- Objects that predate 025 (decided: adopt what is exactly 025's, refuse the rest):
--   - An index or FK under 025's name that is exactly what 025 would create (the partial btree
--     index on the column WHERE col IS NOT NULL, valid; the FK (col) REFERENCES users(user_id),
--     validated, NO ACTION, MATCH SIMPLE, not deferrable) is adopted: used as is, and left in place
--     by 025 down. fk_fix.text_fk_plan.index_owned / fk_owned record what 025 itself built; down
--     drops only that.
--   - Anything else under those names (a full or UNIQUE index, one on another column, an INVALID
--     one, a table of that name; an FK NOT VALID, DEFERRABLE, ON DELETE CASCADE or to another
--     column; a CHECK of that name) and another FK from the column to users under another name
--     (025 would add a second): refused, before anything changes, each named with its definition.
--   - Another index on the column under another name: kept, mentioned (NOTICE); 025 builds its own.
-- Quarantine: lossless for every type. A deleted row is kept as each column's text (the type's
--   output under fixed DateStyle, IntervalStyle and extra_float_digits) keyed by column name; 025
--   down feeds each back to the type's input function. (to_jsonb lost json formatting and key
--   order, array bounds, and more.)
-- Locks: steps 0 and 1b read tables under ACCESS SHARE (1b scans each of the nine once; step 0
--   only tables with a trigger, rule, referencing FK or NOT NULL that matters); step 3 takes SHARE
--   ROW EXCLUSIVE on the table and on users for a catalog-only change (milliseconds), the only
--   lock of 025 that writers wait for: each attempt waits at most 5 ms (lock_timeout), then backs
--   off holding nothing and tries again, 40 times (about 2 s), so no writer queues behind it for
--   more than a few milliseconds, however long the transaction it waits for. Step 2 takes SHARE
--   UPDATE EXCLUSIVE; step 5 SHARE UPDATE EXCLUSIVE on the table and ROW SHARE on users (writers
--   do not wait for those). Every other lock wait is capped by lock_timeout = 1s. A step that
--   cannot get its locks fails with SQLSTATE 55P03 instead of queueing writers behind it; the
--   migrator retries the script with backoff.
-- Transactions: explicit BEGIN/COMMIT around each DDL, and procedures/DO blocks that COMMIT per
--   relationship or batch, because NOT VALID and VALIDATE must never share a transaction and
--   CREATE INDEX CONCURRENTLY cannot run inside one. Run it in autocommit mode: psql -f does;
--   the FkHarness migrator runs it statement by statement without a wrapping transaction.
-- Step announcements: each NOT VALID, cleanup batch and VALIDATE raises `fkharness-step {json}` at
--   DEBUG at its start and, after its COMMIT, at its end (rows changed, tries its lock took, the
--   table locks its transaction held, read just before that COMMIT). psql and the server log show
--   nothing (client_min_messages and log_min_messages are above DEBUG by default); the FkHarness
--   migrator asks for them on its session and makes each step a trace span and an exact lock hold.
-- Re-runnable: yes. Every step checks what is already done; a run killed anywhere and started
--   again converges to the same end state with nothing lost.
-- Usage: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f 025_add_missing_text_fk_constraints.up.sql
--
-- On a schema that differs from the baseline (staging), each case decided: do it right, or refuse
-- in step 0, before anything changes, naming the object and what to do (ERROR with a HINT).
--   search_path: done right. The tables are those in public, whatever the session's search_path
--     (set for this session below, reset at the end).
--   Roles: done right when run by the tables' owner (a member of its role), not only a superuser.
--     Refused: a role that does not own every source table, lacks SELECT/REFERENCES on
--     users.user_id, CREATE on schema public (the indexes go there) or on the database (fk_fix),
--     or does not own 025's existing fk_fix objects.
--   Row-level security: refused when the running role is subject to it on any of the ten tables
--     (FORCE ROW LEVEL SECURITY, or not the owner and no BYPASSRLS): it would see only some rows and
--     delete valid ones or miss orphans. row_security is off for the session, so any read a policy
--     would filter fails (42501) instead. The owner without FORCE sees every row: done right.
--   Orphan = what the FK will refuse: users.user_id = value (as text; as char(n) for a char(n)
--     user_id, trailing spaces ignored) in users.user_id's collation
--     (case-insensitive there: case variants are matches; on the source column only: they are
--     orphans), against users' own rows (its partitions' if partitioned; not an inheritance
--     child's). 024 counts the same.
--   The application's triggers and rules: refused where the cleanup's write would fire one (a
--     DELETE trigger or rule on dashboard_widgets/user_preferences, an UPDATE one that fires on the
--     nullable column elsewhere) and that table holds orphans: what they do (change other columns,
--     cancel the delete, write elsewhere) the quarantine could not undo. Disabled ones, ones on
--     other columns, and tables without orphans: done right. Checked again right before each
--     table's cleanup; a batch whose removal does not match its copies is rolled back.
--   A nullable column of the plan made NOT NULL here, holding orphans: refused (they cannot be
--     nulled; deleting their rows instead is not 025's call). The same where NULL is refused
--     otherwise: a NOT NULL domain, or a CHECK (validated or NOT VALID) false for an orphan row
--     with the column NULL (evaluated read-only on those rows); a CHECK NULL passes: done right.
--   Rows of other tables referencing an orphan row 025 would delete (or a nulled column), under
--     any ON DELETE/UPDATE action: refused (CASCADE/SET NULL would change rows nothing quarantines,
--     NO ACTION/RESTRICT would fail half-way). Re-checked per batch under its row locks.
--   Inheritance children of a source table: done right as a native FK on the parent would be:
--     ONLY the parent's rows are constrained and cleaned (WARNING naming the children).
--   Partitioned source table (or a source that is a view, foreign table...): refused (PostgreSQL 15
--     takes no NOT VALID FK and no CREATE INDEX CONCURRENTLY on a partitioned table). Partitioned
--     users: done right.
--   Views over the tables: nothing to do (no column changes).
--   Column types: varchar, char, domains and other string types: done right (compared as text, as
--     the FK does). Any other type: refused. A pair of types with no equality PostgreSQL's FK
--     accepts (users.user_id citext, the column text: text casts to citext only on assignment):
--     refused (42804), naming the columns, instead of failing at ADD CONSTRAINT after the indexes.
--   users.user_id unique only through a DEFERRABLE constraint, or a partial / expression /
--     multi-column / INVALID unique index: refused, naming the index (an FK cannot use it).
--   Orphans too long for a btree index entry (would fail step 2's build on every run): quarantined
--     and removed first (step 1b); they can never equal a users.user_id.
--   default_transaction_isolation REPEATABLE READ / SERIALIZABLE: done right (READ COMMITTED for
--     this session; step 4 needs a fresh snapshot per statement).

-- Names resolve in public, whatever the session's search_path: a data-only restore leaves it empty,
-- and a schema named like the running role ("$user", first in the default path) or a tenant schema
-- can hold a users table of its own, which the FKs would otherwise reference. pg_catalog first, so
-- no application function or operator shadows a built-in; pg_temp last, so no temporary table
-- shadows an application table. Session-level (SET LOCAL would end at the first COMMIT), reset at
-- the end; the procedures below run in this session (a procedure that COMMITs cannot carry a SET
-- clause of its own), and the migrator's journal names fkharness.schema_versions in full.
SET search_path = pg_catalog, public, pg_temp;

-- Statement time is deliberately uncapped (lock waits are capped, per step): index builds and
-- VALIDATE scan whole tables without blocking writers, and a server-wide statement_timeout (common
-- on staging) would kill them half-way, leaving INVALID indexes behind. Reset at the end.
SET statement_timeout = 0;
-- Nor may a staging idle_in_transaction_session_timeout end the session between two statements of
-- one of its transactions (the client's round trip, longer on a busy machine): reset at the end too.
SET idle_in_transaction_session_timeout = 0;

-- Every read sees every row, or fails: with row_security off, a read that a row-level security
-- policy would filter raises 42501 instead (step 0 refuses such a role upfront, naming the policy).
SET row_security = off;
-- Step 4 locks first and decides with a fresh snapshot per statement: READ COMMITTED, even where
-- the role or database defaults to REPEATABLE READ or SERIALIZABLE (a batch would then fail with
-- 40001 on a row the application updated meanwhile, or decide on a stale snapshot).
SET default_transaction_isolation = 'read committed';
-- One core for 025, the rest for the application: no parallel workers for the index builds or
-- the scans. 025 blocks no writer, so how long a step takes matters less than the CPU it leaves
-- them; a parallel build took every core of a 2-core server, the writers' backends waited for one
-- (their longest writes were that wait, docs/benchmarks.md, "025 under live traffic"), and in all
-- it cost more CPU (1.81 s against 1.52 s, live-025 at scale 1, 4 repetitions each, interleaved).
SET max_parallel_maintenance_workers = 0;
SET max_parallel_workers_per_gather = 0;

-- 0. Preconditions: read-only; each failure names the object and what to do ----------------------
-- They, and step 1b, read the tables (rows that reference orphans, users, orphans too long for an
-- index): a lock wait behind a long transaction is capped like every other step's, so the migrator
-- retries (55P03) instead of queueing writers. Session-level until step 2 resets it.
SET lock_timeout = '1s';
DO $$
DECLARE
    sources CONSTANT text[] := ARRAY['dashboard_widgets', 'user_preferences', 'error_logs', 'deployment_queue',
                                     'deployment_schedules', 'database_backups', 'backup_restore_history',
                                     'migration_rollback_audit', 'artifact_versions'];
    source_columns CONSTANT text[] := ARRAY['user_id', 'user_id', 'user_id', 'requested_by', 'created_by',
                                            'created_by', 'restored_by', 'initiated_by', 'created_by'];
    missing text;
    found text;
    users_only text;
    users_collation text;
    users_key_type text;
    orphan_test text;
    src record;
    fk record;
    has_orphans boolean;
    refuses_null text;
    nulled_row text;
    chk record;
BEGIN
    SELECT string_agg(t, ', ') INTO missing
    FROM unnest(ARRAY['users'] || sources) AS t
    WHERE to_regclass(format('public.%I', t)) IS NULL;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '025 precondition failed: table(s) missing in schema public: %', missing
            USING ERRCODE = 'undefined_table',
                  HINT = 'Run 025 against the application database whose schema the plan describes.';
    END IF;

    -- PostgreSQL 15 refuses both a NOT VALID foreign key and CREATE INDEX CONCURRENTLY on a
    -- partitioned table: 025 could only constrain one by blocking its writers for a full scan.
    SELECT string_agg(format('%I (%s)', c.relname, CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                             WHEN 'f' THEN 'foreign table' WHEN 'm' THEN 'materialized view' ELSE 'relkind ' || c.relkind::text END), ', ')
    INTO found
    FROM unnest(sources) AS t
    JOIN pg_class AS c ON c.oid = to_regclass(format('public.%I', t))
    WHERE c.relkind <> 'r';
    IF found IS NULL THEN
        SELECT format('users (%s)', c.relkind) INTO found FROM pg_class AS c WHERE c.oid = 'public.users'::regclass AND c.relkind NOT IN ('r', 'p');
    END IF;
    IF found IS NOT NULL THEN
        RAISE EXCEPTION '025 precondition failed: not a plain table: %. Nothing was changed.', found
            USING ERRCODE = 'wrong_object_type',
                  HINT = 'A partitioned table takes neither a NOT VALID foreign key nor CREATE INDEX CONCURRENTLY in PostgreSQL 15, so 025 cannot add its FK without blocking writers: clean its orphans (024 lists them), then add the FK with ALTER TABLE ... ADD FOREIGN KEY in a maintenance window, and run 025 for the rest once the table is plain or the FK exists.';
    END IF;

    -- The FKs compare as PostgreSQL's own check does: users.user_id = value, in users.user_id's
    -- collation (a case-insensitive collation there makes case variants matches, not orphans), and
    -- against the rows of users itself (an inheritance child's rows are not users for an FK).
    SELECT CASE c.relkind WHEN 'p' THEN '' ELSE 'ONLY ' END, format('%I.%I', n.nspname, co.collname)
    INTO users_only, users_collation
    FROM pg_class AS c
    JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'user_id' AND NOT a.attisdropped
    LEFT JOIN pg_collation AS co ON co.oid = a.attcollation
    LEFT JOIN pg_namespace AS n ON n.oid = co.collnamespace
    WHERE c.oid = 'public.users'::regclass;

    SELECT string_agg(format('%I.%I (%s)', t.name, t.col, coalesce(format_type(a.atttypid, a.atttypmod), 'no such column')), ', ')
    INTO found
    FROM unnest(ARRAY['users'] || sources, ARRAY['user_id'] || source_columns) AS t (name, col)
    LEFT JOIN pg_attribute AS a ON a.attrelid = to_regclass(format('public.%I', t.name)) AND a.attname = t.col AND NOT a.attisdropped
    -- A domain has its base type's category.
    LEFT JOIN pg_type AS ty ON ty.oid = a.atttypid
    WHERE a.attnum IS NULL OR ty.typcategory IS DISTINCT FROM 'S' OR users_collation IS NULL;
    IF found IS NOT NULL THEN
        RAISE EXCEPTION '025 precondition failed: column(s) missing or not of a string type: %. A foreign key to users.user_id (text) needs a text-like column. Nothing was changed.', found
            USING ERRCODE = 'datatype_mismatch',
                  HINT = 'The plan expects text columns (varchar, char and domains over them work too).';
    END IF;

    -- An FK needs an equality PostgreSQL accepts between the column and users.user_id: the same
    -- type, one the column's type casts to implicitly, or a cross-type btree operator. Otherwise
    -- ADD CONSTRAINT fails (42804) in step 3, after the indexes are built (e.g. users.user_id of
    -- type citext: text casts to citext only on assignment). Domains count as their base type.
    SELECT string_agg(format('%I.%I (%s)', t.name, t.col, pg_catalog.format_type(fa.atttypid, fa.atttypmod)), ', ')
    INTO found
    FROM unnest(sources, source_columns) AS t (name, col)
    JOIN pg_attribute AS fa ON fa.attrelid = to_regclass(format('public.%I', t.name)) AND fa.attname = t.col AND NOT fa.attisdropped
    JOIN pg_type AS ft ON ft.oid = fa.atttypid
    CROSS JOIN (
        SELECT CASE WHEN pt.typtype = 'd' THEN pt.typbasetype ELSE pt.oid END AS oid
        FROM pg_attribute AS ua
        JOIN pg_type AS pt ON pt.oid = ua.atttypid
        WHERE ua.attrelid = 'public.users'::regclass AND ua.attname = 'user_id' AND NOT ua.attisdropped
    ) AS pk_type
    CROSS JOIN LATERAL (SELECT CASE WHEN ft.typtype = 'd' THEN ft.typbasetype ELSE ft.oid END AS oid) AS fk_type
    WHERE fk_type.oid <> pk_type.oid
      AND NOT EXISTS (SELECT 1 FROM pg_cast AS c WHERE c.castsource = fk_type.oid AND c.casttarget = pk_type.oid AND c.castcontext = 'i')
      AND NOT EXISTS (SELECT 1 FROM pg_amop AS o JOIN pg_am AS am ON am.oid = o.amopmethod
                      WHERE am.amname = 'btree' AND o.amopstrategy = 3 AND o.amoplefttype = pk_type.oid AND o.amoprighttype = fk_type.oid);
    IF found IS NOT NULL THEN
        RAISE EXCEPTION '025 precondition failed: no foreign key can compare users.user_id (%) with %: PostgreSQL has no equality between the types (SQLSTATE 42804 at ADD CONSTRAINT). Nothing was changed.',
                (SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_attribute AS a WHERE a.attrelid = 'public.users'::regclass AND a.attname = 'user_id' AND NOT a.attisdropped), found
            USING ERRCODE = 'datatype_mismatch',
                  HINT = 'Give those columns the type of users.user_id (e.g. ALTER TABLE ... ALTER COLUMN ... TYPE citext when users.user_id is citext), or users.user_id a type they cast to implicitly, then run 025 again.';
    END IF;

    IF NOT EXISTS (
        SELECT 1
        FROM pg_index AS i
        JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = 'public.users'::regclass
          AND i.indisunique AND i.indisvalid AND i.indimmediate
          AND i.indnkeyatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL
          AND a.attname = 'user_id'
    ) THEN
        -- What there is instead, so the message says why it does not count.
        SELECT string_agg(format('%s (%s)', i.indexrelid::regclass,
                                 concat_ws(', ', CASE WHEN NOT i.indimmediate THEN 'DEFERRABLE' END,
                                           CASE WHEN NOT i.indisvalid THEN 'INVALID' END,
                                           CASE WHEN i.indpred IS NOT NULL THEN 'partial' END,
                                           CASE WHEN i.indexprs IS NOT NULL THEN 'on an expression' END,
                                           CASE WHEN i.indnkeyatts > 1 THEN 'several columns' END)), ', ')
        INTO found
        FROM pg_index AS i
        LEFT JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = 'public.users'::regclass AND i.indisunique
          AND (a.attname = 'user_id' OR i.indexprs IS NOT NULL);
        IF found LIKE '%DEFERRABLE%' THEN
            RAISE EXCEPTION '025 precondition failed: users.user_id is unique only through a DEFERRABLE constraint (%), and a foreign key cannot reference a deferrable unique constraint. Nothing was changed.', found
                USING ERRCODE = 'invalid_foreign_key',
                      HINT = 'Add an immediate unique index beside it, without blocking writers: CREATE UNIQUE INDEX CONCURRENTLY users_user_id_uidx ON public.users (user_id); then run 025 again.';
        END IF;
        RAISE EXCEPTION '025 precondition failed: users.user_id is not unique (no valid unique index on it%), so no foreign key can reference it. Nothing was changed.',
                        coalesce('; found only ' || found, '')
            USING ERRCODE = 'invalid_foreign_key',
                  HINT = 'Find duplicates with: SELECT user_id, count(*) FROM public.users GROUP BY 1 HAVING count(*) > 1; resolve them, then ALTER TABLE public.users ADD CONSTRAINT users_user_id_key UNIQUE (user_id) (an FK needs a plain, immediate, valid unique index on exactly that column).';
    END IF;

    -- The FK compares in the type of the unique index's operator class, as text for a text or
    -- varchar user_id, as char(n) (trailing spaces ignored) for a char(n) one: the first such
    -- index, as PostgreSQL picks it. Named by pg_type's name (pg_catalog.bpchar): "character" as
    -- a cast would mean char(1) and cut every value to its first character.
    SELECT format('%I.%I', tn.nspname, ty.typname) INTO users_key_type
    FROM pg_index AS i
    JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
    JOIN pg_opclass AS opc ON opc.oid = i.indclass[0]
    JOIN pg_type AS ty ON ty.oid = opc.opcintype
    JOIN pg_namespace AS tn ON tn.oid = ty.typnamespace
    WHERE i.indrelid = 'public.users'::regclass
      AND i.indisunique AND i.indisvalid AND i.indimmediate
      AND i.indnkeyatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL
      AND a.attname = 'user_id'
    ORDER BY i.indexrelid
    LIMIT 1;

    SELECT string_agg(t, ', ') INTO missing
    FROM unnest(sources) AS t
    WHERE NOT EXISTS (
        SELECT 1
        FROM pg_index AS i
        JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = to_regclass(format('public.%I', t)) AND i.indisprimary AND i.indnkeyatts = 1
          AND a.attname = 'id' AND a.atttypid = 'bigint'::regtype
    );
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '025 precondition failed: table(s) without a bigint primary key "id": %. The quarantine keys rows by it. Nothing was changed.', missing
            USING ERRCODE = 'feature_not_supported';
    END IF;

    -- Roles: adding an FK and building an index need the table's owner (or a member of its role)
    -- and CREATE on schema public; the FK needs REFERENCES on users.user_id and the orphan search
    -- SELECT on it; fk_fix needs CREATE on the database (or on fk_fix, and its objects' ownership).
    SELECT string_agg(format('%I (owned by %I)', c.relname, pg_get_userbyid(c.relowner)), ', ') INTO found
    FROM unnest(sources) AS t
    JOIN pg_class AS c ON c.oid = to_regclass(format('public.%I', t))
    WHERE NOT pg_has_role(current_user, c.relowner, 'USAGE');
    IF found IS NULL AND NOT (has_column_privilege('public.users', 'user_id', 'SELECT')
                              AND has_column_privilege('public.users', 'user_id', 'REFERENCES')) THEN
        found := 'users.user_id (needs SELECT and REFERENCES)';
    END IF;
    -- (A list of privileges in has_*_privilege is true if any one is held: each is asked apart.)
    -- An index goes beside its table: in PostgreSQL 15 only the database owner (owner of public)
    -- has CREATE there unless granted.
    IF found IS NULL AND NOT (has_schema_privilege('public', 'CREATE') AND has_schema_privilege('public', 'USAGE')) THEN
        found := 'schema public (needs CREATE and USAGE, for the indexes: GRANT CREATE ON SCHEMA public TO ' || quote_ident(current_user) || ')';
    END IF;
    IF found IS NULL THEN
        IF to_regnamespace('fk_fix') IS NULL THEN
            IF NOT has_database_privilege(current_database(), 'CREATE') THEN
                found := format('database %I (needs CREATE, for schema fk_fix)', current_database());
            END IF;
        ELSIF NOT (has_schema_privilege('fk_fix', 'CREATE') AND has_schema_privilege('fk_fix', 'USAGE')) THEN
            found := 'schema fk_fix (needs CREATE and USAGE)';
        ELSE
            SELECT string_agg(format('fk_fix.%I (owned by %I)', o.name, pg_get_userbyid(o.owner)), ', ') INTO found
            FROM (SELECT c.relname::text AS name, c.relowner AS owner FROM pg_class AS c
                  WHERE c.relnamespace = 'fk_fix'::regnamespace AND c.relname IN ('text_fk_plan', 'quarantine')
                  UNION ALL
                  SELECT pr.proname::text, pr.proowner FROM pg_proc AS pr
                  WHERE pr.pronamespace = 'fk_fix'::regnamespace
                    AND pr.proname IN ('add_text_fks_not_valid', 'quarantine_text_orphans', 'validate_text_fks',
                                       'orphan_reason', 'orphan_reason_code', 'text_orphan_blockers')) AS o
            WHERE NOT pg_has_role(current_user, o.owner, 'USAGE');
        END IF;
    END IF;
    IF found IS NOT NULL THEN
        RAISE EXCEPTION '025 precondition failed: role % lacks what 025 needs on: %. Nothing was changed.', current_user, found
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Run 025 as the role that owns the application tables (connect as it, or SET ROLE to it), or as a superuser; the owner needs CREATE on the database for schema fk_fix.';
    END IF;

    -- Row-level security: a role subject to a policy on one of the ten tables would see only some
    -- rows, so valid rows would look orphaned (and be removed) or orphans would be missed.
    SELECT string_agg(format('%I (%s)', c.relname,
                             coalesce('policies ' || (SELECT string_agg(quote_ident(pol.polname), ', ' ORDER BY pol.polname)
                                                      FROM pg_policy AS pol WHERE pol.polrelid = c.oid),
                                      'no policy: every row hidden')
                             || CASE WHEN c.relforcerowsecurity THEN ', FORCE ROW LEVEL SECURITY' ELSE '' END), '; ')
    INTO found
    FROM unnest(ARRAY['users'] || sources) AS t
    JOIN pg_class AS c ON c.oid = to_regclass(format('public.%I', t))
    WHERE c.relrowsecurity
      AND NOT (SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles AS r WHERE r.rolname = current_user)
      AND (c.relforcerowsecurity OR NOT pg_has_role(current_user, c.relowner, 'USAGE'));
    IF found IS NOT NULL THEN
        RAISE EXCEPTION '025 precondition failed: row-level security applies to role % on %: 025 would see only some rows, so it could delete valid rows or miss orphans. Nothing was changed.', current_user, found
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Run 025 as the tables'' owner with the table set to NO FORCE ROW LEVEL SECURITY for the migration (ALTER TABLE ... NO FORCE ROW LEVEL SECURITY; FORCE again afterwards), or as a role with BYPASSRLS, or as a superuser.';
    END IF;

    -- What removing an orphan would set off besides the removal: the application's triggers and
    -- rules on that write, and rows of other tables whose FK references an orphan row (CASCADE would
    -- delete or change them, NO ACTION would fail the cleanup half-way). The quarantine keeps only
    -- what 025 removes, so 025 refuses, but only where there are orphans to remove: a trigger that
    -- never fires (no orphans) is harmless. The same check runs again per table right before its
    -- cleanup (fk_fix.text_orphan_blockers), for orphans added in between.
    FOR src IN
        SELECT t.name, t.col, a.attnum, a.attnotnull, a.atttypid, a.atttypmod,
               CASE WHEN t.name IN ('dashboard_widgets', 'user_preferences') THEN 'delete' ELSE 'set_null' END AS cleanup
        FROM unnest(sources, source_columns) AS t (name, col)
        JOIN pg_attribute AS a ON a.attrelid = to_regclass(format('public.%I', t.name)) AND a.attname = t.col
    LOOP
        orphan_test := format('t.%I IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %spublic.users AS u WHERE u.user_id = t.%I::%s COLLATE %s)',
                              src.col, users_only, src.col, users_key_type, users_collation);
        -- A column the plan has as nullable, made NOT NULL here: its orphans cannot be set to NULL
        -- (every batch would fail, and every rerun), and deleting their rows is not the plan's call.
        IF src.cleanup = 'set_null' AND src.attnotnull THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY public.%I AS t WHERE %s)', src.name, orphan_test) INTO has_orphans;
            IF has_orphans THEN
                RAISE EXCEPTION '025 precondition failed: %.% is NOT NULL in this database (nullable in the plan) and holds orphans, which 025 would set to NULL. Nothing was changed.', src.name, src.col
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = format('024 lists the orphans. Repair them (point them at an existing user), or allow NULL (ALTER TABLE public.%I ALTER COLUMN %I DROP NOT NULL) if the application does; then run 025 again.', src.name, src.col);
            END IF;
        END IF;
        -- The same, where NULL is refused by something else than NOT NULL: a domain declared NOT
        -- NULL (or whose CHECK fails on NULL), or a CHECK constraint of the table (validated or NOT
        -- VALID: both check new rows) that is false for an orphan row with this column NULL, e.g.
        -- CHECK (col IS NOT NULL) added NOT VALID instead of SET NOT NULL. Evaluated on the orphan
        -- rows themselves, read only: the check's expression over a copy of each row with the column
        -- NULL. Checks that NULL passes (col ~ '^usr_') refuse nothing.
        IF src.cleanup = 'set_null' AND NOT src.attnotnull THEN
            refuses_null := NULL;
            BEGIN
                EXECUTE format('SELECT NULL::%s', format_type(src.atttypid, src.atttypmod));
            EXCEPTION WHEN not_null_violation OR check_violation THEN
                refuses_null := format('its type %s does not allow NULL', format_type(src.atttypid, src.atttypmod));
            END;
            IF refuses_null IS NULL THEN
                SELECT string_agg(CASE WHEN a.attnum = src.attnum THEN format('NULL::%s AS %I', format_type(a.atttypid, a.atttypmod), a.attname)
                                       ELSE format('t.%1$I AS %1$I', a.attname) END, ', ' ORDER BY a.attnum)
                INTO nulled_row
                FROM pg_attribute AS a
                WHERE a.attrelid = to_regclass(format('public.%I', src.name)) AND a.attnum > 0 AND NOT a.attisdropped;
                FOR chk IN
                    SELECT con.conname, pg_get_expr(con.conbin, con.conrelid) AS expr
                    FROM pg_constraint AS con
                    WHERE con.conrelid = to_regclass(format('public.%I', src.name)) AND con.contype = 'c' AND src.attnum = ANY (con.conkey)
                    ORDER BY con.conname
                LOOP
                    EXECUTE format('SELECT EXISTS (SELECT 1 FROM (SELECT %s FROM ONLY public.%I AS t WHERE %s) AS nulled WHERE (%s) IS FALSE)',
                                   nulled_row, src.name, orphan_test, chk.expr) INTO has_orphans;
                    IF has_orphans THEN
                        refuses_null := format('CHECK constraint %I refuses it', chk.conname);
                        EXIT;
                    END IF;
                END LOOP;
            END IF;
            IF refuses_null IS NOT NULL THEN
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY public.%I AS t WHERE %s)', src.name, orphan_test) INTO has_orphans;
            END IF;
            IF refuses_null IS NOT NULL AND has_orphans THEN
                RAISE EXCEPTION '025 precondition failed: %.% holds orphans, which 025 would set to NULL, but NULL is refused there in this database (%). Nothing was changed.', src.name, src.col, refuses_null
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = '024 lists the orphans. Repair them (point them at an existing user), or let the column take NULL if the application does (drop or change that constraint or type); then run 025 again.';
            END IF;
        END IF;
        SELECT string_agg(w, ', ') INTO found
        FROM (
            SELECT format('trigger %I', tg.tgname) AS w
            FROM pg_trigger AS tg
            WHERE tg.tgrelid = to_regclass(format('public.%I', src.name)) AND NOT tg.tgisinternal AND tg.tgenabled IN ('O', 'A')
              AND CASE src.cleanup WHEN 'delete' THEN tg.tgtype & 8 <> 0
                                   ELSE tg.tgtype & 16 <> 0 AND (cardinality(tg.tgattr::int2[]) = 0 OR src.attnum = ANY (tg.tgattr::int2[])) END
            UNION ALL
            SELECT format('rule %I', r.rulename)
            FROM pg_rewrite AS r
            WHERE r.ev_class = to_regclass(format('public.%I', src.name)) AND r.rulename <> '_RETURN' AND r.ev_enabled IN ('O', 'A')
              AND r.ev_type = CASE src.cleanup WHEN 'delete' THEN '4' ELSE '2' END
        ) AS writers;
        IF found IS NOT NULL THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY public.%I AS t WHERE %s)', src.name, orphan_test) INTO has_orphans;
            IF has_orphans THEN
                RAISE EXCEPTION '025 precondition failed: %.% holds orphans, and % them would fire % of the application: whatever that does (change other columns, cancel the %, write elsewhere) the quarantine could not undo. Nothing was changed.',
                                src.name, src.col, CASE src.cleanup WHEN 'delete' THEN 'deleting the rows of' ELSE 'setting to NULL' END,
                                found, CASE src.cleanup WHEN 'delete' THEN 'delete' ELSE 'update' END
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = format('024 lists the orphans. Either repair or remove them yourself, through the application''s own path (then 025 finds none here), or disable those for the run (ALTER TABLE public.%I DISABLE TRIGGER name / DISABLE RULE name; ENABLE again after 025) if their effect is not wanted for this cleanup.', src.name);
            END IF;
        END IF;

        FOR fk IN
            SELECT c.conname, c.conrelid::regclass AS child, c.confdeltype, c.confupdtype,
                   (SELECT string_agg(format('c.%I = t.%I', ca.attname, pa.attname), ' AND ')
                    FROM unnest(c.conkey, c.confkey) AS k (fk_att, pk_att)
                    JOIN pg_attribute AS ca ON ca.attrelid = c.conrelid AND ca.attnum = k.fk_att
                    JOIN pg_attribute AS pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk_att) AS join_on
            FROM pg_constraint AS c
            WHERE c.contype = 'f' AND c.confrelid = to_regclass(format('public.%I', src.name))
              AND (src.cleanup = 'delete' OR src.attnum = ANY (c.confkey))
        LOOP
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY public.%I AS t JOIN %s AS c ON %s WHERE %s)',
                           src.name, fk.child, fk.join_on, orphan_test)
                INTO has_orphans;
            IF has_orphans THEN
                RAISE EXCEPTION '025 precondition failed: rows of % reference orphan rows of % through foreign key % (ON % %): % those orphans would %. Nothing was changed.',
                                fk.child, src.name, fk.conname, CASE src.cleanup WHEN 'delete' THEN 'DELETE' ELSE 'UPDATE' END,
                                CASE CASE src.cleanup WHEN 'delete' THEN fk.confdeltype ELSE fk.confupdtype END
                                    WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END,
                                CASE src.cleanup WHEN 'delete' THEN 'deleting' ELSE 'nulling' END,
                                CASE CASE src.cleanup WHEN 'delete' THEN fk.confdeltype ELSE fk.confupdtype END
                                    WHEN 'c' THEN 'delete or change those rows too, which the quarantine does not keep'
                                    WHEN 'n' THEN 'change those rows too, which the quarantine does not keep'
                                    WHEN 'd' THEN 'change those rows too, which the quarantine does not keep'
                                    ELSE 'fail the cleanup half-way' END
                    USING ERRCODE = 'dependent_objects_still_exist',
                          HINT = format('Decide what the rows of %s that point at %s orphans should become (024 lists the orphans), change or remove them, then run 025 again.', fk.child, src.name);
            END IF;
        END LOOP;
    END LOOP;

    -- Done right, said aloud: an FK is not inherited, so 025 constrains and cleans the rows of each
    -- table itself (ONLY), as ALTER TABLE ... ADD FOREIGN KEY on it would; and for users only its
    -- own rows (or its partitions') are users, as PostgreSQL's FK check sees them.
    SELECT string_agg(format('%s (children: %s)', i.parent, i.children), '; ') INTO found
    FROM (SELECT h.inhparent::regclass::text AS parent, string_agg(h.inhrelid::regclass::text, ', ') AS children
          FROM pg_inherits AS h
          JOIN pg_class AS pc ON pc.oid = h.inhparent AND pc.relkind = 'r'
          WHERE h.inhparent = ANY (ARRAY(SELECT to_regclass(format('public.%I', t)) FROM unnest(ARRAY['users'] || sources) AS t))
          GROUP BY h.inhparent) AS i;
    IF found IS NOT NULL THEN
        RAISE WARNING '025: inheritance children are not covered: %. A foreign key is not inherited: 025 constrains and cleans only the rows of the parent tables themselves, and a user_id found only in a child of users is no user for the FKs.', found
            USING HINT = 'Add the FKs to the child tables yourself if their rows must be checked too.';
    END IF;
END
$$;

-- 1. The plan as data, the quarantine, and the routines of steps 3, 4 and 5 --------------------
BEGIN;
SET LOCAL lock_timeout = '1s';

CREATE SCHEMA IF NOT EXISTS fk_fix;
COMMENT ON SCHEMA fk_fix IS 'FK fix plan (migrations 025/026): plan, quarantine and validation routines.';

-- index_owned / fk_owned: 025 built this object (set in the transaction that creates the FK, and just
-- before the index builds), so 025 down drops it. An object that was there before 025, exactly as
-- 025 would make it, is adopted: used, never dropped (see the check below).
CREATE TABLE IF NOT EXISTS fk_fix.text_fk_plan (
    table_name      text PRIMARY KEY,
    column_name     text NOT NULL,
    constraint_name text NOT NULL UNIQUE,
    index_name      text NOT NULL UNIQUE,
    cleanup         text NOT NULL CHECK (cleanup IN ('delete', 'set_null')),
    index_owned     boolean NOT NULL DEFAULT false,
    fk_owned        boolean NOT NULL DEFAULT false
);

INSERT INTO fk_fix.text_fk_plan (table_name, column_name, constraint_name, index_name, cleanup)
VALUES
    ('dashboard_widgets', 'user_id', 'dashboard_widgets_user_id_fkey', 'idx_dashboard_widgets_user_id', 'delete'),
    ('user_preferences', 'user_id', 'user_preferences_user_id_fkey', 'idx_user_preferences_user_id', 'delete'),
    ('error_logs', 'user_id', 'error_logs_user_id_fkey', 'idx_error_logs_user_id', 'set_null'),
    ('deployment_queue', 'requested_by', 'deployment_queue_requested_by_fkey', 'idx_deployment_queue_requested_by', 'set_null'),
    ('deployment_schedules', 'created_by', 'deployment_schedules_created_by_fkey', 'idx_deployment_schedules_created_by', 'set_null'),
    ('database_backups', 'created_by', 'database_backups_created_by_fkey', 'idx_database_backups_created_by', 'set_null'),
    ('backup_restore_history', 'restored_by', 'backup_restore_history_restored_by_fkey', 'idx_backup_restore_history_restored_by', 'set_null'),
    ('migration_rollback_audit', 'initiated_by', 'migration_rollback_audit_initiated_by_fkey', 'idx_migration_rollback_audit_initiated_by', 'set_null'),
    ('artifact_versions', 'created_by', 'artifact_versions_created_by_fkey', 'idx_artifact_versions_created_by', 'set_null')
ON CONFLICT (table_name) DO NOTHING;

-- Objects that predate 025 under the names it uses, or doing its job under another name. Checked
-- in this transaction, so a refusal rolls back everything above: nothing is changed.
--   An index or FK of 025's name that is exactly what 025 would create (same table, column and
--   definition; valid; the FK validated, NO ACTION, MATCH SIMPLE, not deferrable) is adopted.
--   Anything else under that name (another definition, another column or table, INVALID, NOT VALID,
--   ON DELETE CASCADE, a CHECK or a table of that name…) is refused, named, with its definition.
--   Another FK on the same column to users, under another name, is refused too: 025 would add a
--   second one. Another index on the column is only mentioned (NOTICE): 025 builds its own anyway.
DO $$
DECLARE
    p fk_fix.text_fk_plan;
    found_index oid;
    wanted text;
    actual text;
    other record;
    problems text[] := '{}';
BEGIN
    FOR p IN SELECT * FROM fk_fix.text_fk_plan ORDER BY table_name LOOP
        found_index := to_regclass('public.' || quote_ident(p.index_name));
        IF found_index IS NOT NULL AND NOT p.index_owned THEN
            wanted := format('CREATE INDEX %s ON public.%s USING btree (%s) WHERE (%s IS NOT NULL)',
                             quote_ident(p.index_name), quote_ident(p.table_name), quote_ident(p.column_name), quote_ident(p.column_name));
            SELECT CASE WHEN c.relkind <> 'i' THEN format('a relation of kind %L, not an index', c.relkind)
                        WHEN NOT (i.indisvalid AND i.indisready) THEN pg_get_indexdef(c.oid) || ' (INVALID)'
                        ELSE pg_get_indexdef(c.oid) END
            INTO actual
            FROM pg_class AS c LEFT JOIN pg_index AS i ON i.indexrelid = c.oid
            WHERE c.oid = found_index;
            IF actual <> wanted THEN
                problems := problems || format('%s exists as %s; 025 needs %s', p.index_name, actual, wanted);
            END IF;
        END IF;

        IF NOT p.fk_owned THEN
            SELECT pg_get_constraintdef(c.oid) AS definition,  -- ends in NOT VALID if it is
                   c.contype = 'f'
                   AND c.confrelid = 'public.users'::regclass
                   AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = c.conrelid AND attname = p.column_name)]
                   AND c.confkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attname = 'user_id')]
                   AND c.confupdtype = 'a' AND c.confdeltype = 'a' AND c.confmatchtype = 's'
                   AND NOT c.condeferrable AND c.convalidated AS equivalent
            INTO other
            FROM pg_constraint AS c
            WHERE c.conrelid = ('public.' || quote_ident(p.table_name))::regclass AND c.conname = p.constraint_name;
            IF FOUND AND NOT other.equivalent THEN
                problems := problems || format('%s on %s exists as %s; 025 needs FOREIGN KEY (%s) REFERENCES users(user_id), validated',
                                               p.constraint_name, p.table_name, other.definition, p.column_name);
            END IF;
        END IF;

        FOR other IN
            SELECT c.conname, pg_get_constraintdef(c.oid) AS definition
            FROM pg_constraint AS c
            WHERE c.conrelid = ('public.' || quote_ident(p.table_name))::regclass AND c.contype = 'f'
              AND c.confrelid = 'public.users'::regclass AND c.conname <> p.constraint_name
              AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = c.conrelid AND attname = p.column_name)]
        LOOP
            problems := problems || format('%s on %s (%s) already constrains %s; 025 would add a second foreign key, %s',
                                           other.conname, p.table_name, other.definition, p.column_name, p.constraint_name);
        END LOOP;

        FOR other IN
            SELECT c.relname
            FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
            WHERE i.indrelid = ('public.' || quote_ident(p.table_name))::regclass AND c.relname <> p.index_name
              AND i.indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = i.indrelid AND attname = p.column_name)
        LOOP
            RAISE NOTICE '025: %.% already has index %; 025 builds its own, %, anyway (and drops only that one on down)',
                p.table_name, p.column_name, other.relname, p.index_name;
        END LOOP;
    END LOOP;

    IF cardinality(problems) > 0 THEN
        RAISE EXCEPTION '025 refused: object(s) already there under the names 025 uses, or doing its job, but not what the plan needs: %. Nothing was changed.',
            array_to_string(problems, '; ')
            USING ERRCODE = 'duplicate_object',
                  HINT = 'If such an object is yours, rename it (ALTER INDEX … RENAME TO …, ALTER TABLE … RENAME CONSTRAINT … TO …) or drop it, then rerun 025; 025 builds its own and 025 down drops only what 025 built. An index or FK exactly like 025''s is adopted and left in place by 025 down.';
    END IF;
END
$$;

-- One row per deleted row or nulled value: enough to put it back exactly (025 down does).
CREATE TABLE IF NOT EXISTS fk_fix.quarantine (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    migration      text NOT NULL DEFAULT '025',
    relationship   text NOT NULL,                 -- the FK's name, e.g. error_logs_user_id_fkey
    table_name     text NOT NULL,
    column_name    text NOT NULL,
    row_id         bigint NOT NULL,               -- the row's primary key
    action         text NOT NULL CHECK (action IN ('delete', 'set_null')),
    reason_code    text NOT NULL CHECK (reason_code IN ('empty_string', 'variant', 'missing')),
    reason         text NOT NULL,
    old_value      text,                          -- the orphan value
    -- The whole row, for deletes: each column's text form (its type's output, under fixed DateStyle,
    -- IntervalStyle and extra_float_digits) keyed by column name, JSON null for SQL NULL. 025 down
    -- feeds each text to the column type's input function, so every type comes back exactly: json
    -- with its spacing and key order, arrays with their bounds, floats, NaN, timestamps (to_jsonb
    -- kept neither the first nor the second). Keyed by name, so columns added or dropped since can
    -- be told apart.
    row_data       jsonb,
    restore_failure text,                         -- why the last 025 down could not put it back
    quarantined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (table_name, column_name, row_id)
);

-- Step 3: each FK NOT VALID, one short transaction each. The only step that blocks writers:
-- ALTER TABLE … ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on the table and on users, which
-- conflicts with the ROW EXCLUSIVE every INSERT/UPDATE/DELETE takes, and while the ALTER waits
-- for a transaction in flight on either table, every new writer of it queues behind the ALTER.
-- So each attempt waits at most `attempt_ms` (lock_timeout), then backs off without holding any
-- lock (the attempt's subtransaction is rolled back, its lock requests with it) and tries again:
-- a writer queues for at most one attempt plus the catalog change and commit, a few milliseconds,
-- however long the transaction in the way lasts. After `attempts` tries (about 2 s with the
-- constants below) it raises 55P03, as a single 1 s lock_timeout did before, and the migrator reruns
-- the script with its own backoff.
-- (Constants, not parameters: the procedure keeps the signature 025 down drops it by.)
CREATE OR REPLACE PROCEDURE fk_fix.add_text_fks_not_valid()
LANGUAGE plpgsql
AS $$
DECLARE
    attempt_ms CONSTANT integer := 5;
    attempts CONSTANT integer := 40;
    p fk_fix.text_fk_plan;
    tries integer;
    held json;
BEGIN
    FOR p IN SELECT * FROM fk_fix.text_fk_plan ORDER BY table_name LOOP
        RAISE DEBUG 'fkharness-step %', json_build_object('event', 'start', 'step', 'not_valid', 'table', p.table_name, 'column', p.column_name);
        FOR attempt IN 1 .. attempts LOOP
            BEGIN
                PERFORM set_config('lock_timeout', attempt_ms || 'ms', true);
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = p.table_name::regclass AND conname = p.constraint_name) THEN
                    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES public.users (user_id) NOT VALID',
                                   p.table_name, p.constraint_name, p.column_name);
                    -- In the same transaction as the FK: it is 025's, and 025 down drops it.
                    UPDATE fk_fix.text_fk_plan SET fk_owned = true WHERE table_name = p.table_name;
                END IF;
                tries := attempt;
                EXIT;
            EXCEPTION WHEN lock_not_available THEN
                IF attempt = attempts THEN
                    RAISE;
                END IF;
            END;
            -- 5, 10, … 50 ms, jittered so that two sessions retrying do not stay in step.
            PERFORM pg_sleep(least(attempt * attempt_ms, 50) * (0.5 + random()) / 1000.0);
        END LOOP;
        held := (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(l.relation, l.mode)) FROM pg_catalog.pg_locks AS l WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted);
        COMMIT;
        RAISE DEBUG 'fkharness-step %', json_build_object('event', 'end', 'step', 'not_valid', 'table', p.table_name, 'column', p.column_name, 'attempts', tries, 'locks', held);
    END LOOP;
END
$$;

-- Why a value is an orphan, for the report: '' / a case or whitespace variant of a real id / no such id.
CREATE OR REPLACE FUNCTION fk_fix.orphan_reason_code(orphan text, variant_of text)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT CASE
        WHEN orphan = '' THEN 'empty_string'
        WHEN variant_of IS NOT NULL THEN 'variant'
        ELSE 'missing'
    END
$$;

CREATE OR REPLACE FUNCTION fk_fix.orphan_reason(orphan text, variant_of text)
RETURNS text
LANGUAGE sql
-- STABLE, as format() is: declared IMMUTABLE over a STABLE body, PostgreSQL would not inline it
-- and would call it as a separate query for every quarantined row.
STABLE
AS $$
    SELECT CASE
        WHEN orphan = '' THEN 'empty string: references no user'
        WHEN variant_of IS NOT NULL THEN pg_catalog.format('no user %L; case/whitespace variant of existing user_id %L', orphan, variant_of)
        ELSE pg_catalog.format('no user %L (deleted user or typo)', orphan)
    END
$$;

-- Step 4: quarantine, then delete or null. First one read-only pass per table finds the orphans'
-- ids (a hashed anti-join, one scan, no lock that blocks writers): from step 3 on the NOT VALID FK
-- refuses every new orphan (inserts, updates of the column, deletes of a referenced user), so no
-- orphan can appear after that pass. Then batches of `batch_rows` orphans, each one transaction:
-- the orphans are re-checked and locked (FOR UPDATE), copied to the quarantine and removed
-- atomically, so a kill between batches loses nothing and a rerun finds only what is left.
-- (Walking the whole table in primary-key batches instead re-hashed users for every batch of
-- table rows: 4x slower than the one pass at a million rows, for the same row locks.)
-- Lock first, decide after: a batch first locks the rows that still look orphaned, then a second
-- statement, with a fresh snapshot, picks the orphans among them. Under READ COMMITTED a locking
-- SELECT that waited for a concurrent UPDATE re-checks the new row version against its WHERE only
-- in part (EvalPlanQual does not re-run the NOT EXISTS anti-join), so a row the application had
-- just fixed (set to a valid user) came back as an "orphan" and was nulled or deleted. No row can
-- become an orphan after the lock (the FK refuses it), so every orphan the second statement finds
-- is one the first locked.
-- The second statement also removes: its quarantine INSERT returns the ids it copied, and exactly
-- those rows are deleted or nulled, in the same statement and snapshot (a third statement joining
-- the quarantine back cost a sixth of the cleanup). An orphan whose copy was already in the
-- quarantine (ON CONFLICT: a rerun after a down that could not restore it) is removed by that
-- join, run only then, and only where the copy holds its current value. Nothing leaves without
-- a copy.
-- variant_of, for the reason: the smallest user_id equal to the orphan once trimmed and
-- lower-cased. A user_id that is itself trimmed and lower-case (nearly all are) can only be the
-- orphan's normalised value: one index probe per orphan, in the batch. The others are listed by one
-- scan of users when the cleanup starts, so a user added during the cleanup with such an id is not
-- named in a reason. (Normalising every user in every batch cost a fifth of the cleanup, and grows
-- with users times batches.)
-- longer_than > 0: only orphans longer than that many bytes (run before step 2, see there).
-- Every read and write names the table ONLY: an FK is not inherited (see step 0's warning).
-- An orphan compares as the FK will: users.user_id = value cast to the type of the unique index's
-- operator class (text, or char(n) for a char(n) user_id), in users.user_id's collation, against
-- users' own rows (its partitions' if partitioned).
CREATE OR REPLACE PROCEDURE fk_fix.quarantine_text_orphans(batch_rows integer, longer_than integer)
LANGUAGE plpgsql
AS $$
DECLARE
    p fk_fix.text_fk_plan;
    users_only text;
    users_collation text;
    users_key_type text;
    orphan_test text;
    writers text;
    referenced_by text;
    referenced boolean;
    copied bigint;
    odd_user_ids jsonb;
    candidates bigint[];
    batch bigint[];
    first integer;
    locked bigint;
    moved bigint;
    removed bigint;
    total bigint;
    row_data_of_t text;
    held json;
BEGIN
    -- Reads wait for ACCESS SHARE too (behind an ALTER TABLE or VACUUM FULL): capped as well.
    SET LOCAL lock_timeout = '1s';
    SELECT coalesce(jsonb_object_agg(odd.normalised, odd.user_id), '{}')
    INTO odd_user_ids
    FROM (
        SELECT lower(btrim(u.user_id, E' \t\r\n\u00a0')) AS normalised, min(u.user_id) AS user_id
        FROM users AS u
        WHERE lower(btrim(u.user_id, E' \t\r\n\u00a0')) <> u.user_id
        GROUP BY 1
    ) AS odd;
    SELECT CASE c.relkind WHEN 'p' THEN '' ELSE 'ONLY ' END, format('%I.%I', n.nspname, co.collname)
    INTO users_only, users_collation
    FROM pg_class AS c
    JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'user_id'
    JOIN pg_collation AS co ON co.oid = a.attcollation
    JOIN pg_namespace AS n ON n.oid = co.collnamespace
    WHERE c.oid = 'public.users'::regclass;
    SELECT format('%I.%I', tn.nspname, ty.typname) INTO users_key_type
    FROM pg_index AS i
    JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
    JOIN pg_opclass AS opc ON opc.oid = i.indclass[0]
    JOIN pg_type AS ty ON ty.oid = opc.opcintype
    JOIN pg_namespace AS tn ON tn.oid = ty.typnamespace
    WHERE i.indrelid = 'public.users'::regclass
      AND i.indisunique AND i.indisvalid AND i.indimmediate
      AND i.indnkeyatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL
      AND a.attname = 'user_id'
    ORDER BY i.indexrelid
    LIMIT 1;
    COMMIT;

    FOR p IN SELECT * FROM fk_fix.text_fk_plan ORDER BY table_name LOOP
        orphan_test := format('t.%1$I IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %2$spublic.users AS u WHERE u.user_id = t.%1$I::%4$s COLLATE %3$s)',
                              p.column_name, users_only, users_collation, users_key_type)
                       || CASE WHEN longer_than > 0 THEN format(' AND octet_length(t.%I) > %s', p.column_name, longer_than) ELSE '' END;
        SET LOCAL lock_timeout = '1s';
        EXECUTE format('SELECT coalesce(array_agg(t.id ORDER BY t.id), ''{}'') FROM ONLY %1$I AS t WHERE %2$s',
                       p.table_name, orphan_test)
            INTO candidates;
        -- Step 0's check again, for orphans that appeared since (before the FK existed): the
        -- application's triggers and rules on this write, and FKs of other tables to these rows.
        IF cardinality(candidates) > 0 THEN
            SELECT string_agg(w, ', ') INTO writers
            FROM (
                SELECT format('trigger %I', tg.tgname) AS w
                FROM pg_trigger AS tg
                JOIN pg_attribute AS a ON a.attrelid = tg.tgrelid AND a.attname = p.column_name
                WHERE tg.tgrelid = p.table_name::regclass AND NOT tg.tgisinternal AND tg.tgenabled IN ('O', 'A')
                  AND CASE p.cleanup WHEN 'delete' THEN tg.tgtype & 8 <> 0
                                     ELSE tg.tgtype & 16 <> 0 AND (cardinality(tg.tgattr::int2[]) = 0 OR a.attnum = ANY (tg.tgattr::int2[])) END
                UNION ALL
                SELECT format('rule %I', r.rulename)
                FROM pg_rewrite AS r
                WHERE r.ev_class = p.table_name::regclass AND r.rulename <> '_RETURN' AND r.ev_enabled IN ('O', 'A')
                  AND r.ev_type = CASE p.cleanup WHEN 'delete' THEN '4' ELSE '2' END
            ) AS w;
            IF writers IS NOT NULL THEN
                RAISE EXCEPTION '025: %.% holds orphans, and removing them would fire % of the application, which the quarantine could not undo. Nothing of this table was changed.', p.table_name, p.column_name, writers
                    USING ERRCODE = 'object_not_in_prerequisite_state',
                          HINT = '024 lists the orphans: repair or remove them through the application, or disable those for the run; then run 025 again.';
            END IF;
            SELECT string_agg(format('EXISTS (SELECT 1 FROM %s AS c WHERE %s)', c.conrelid::regclass,
                                     (SELECT string_agg(format('c.%I = t.%I', ca.attname, pa.attname), ' AND ')
                                      FROM unnest(c.conkey, c.confkey) AS k (fk_att, pk_att)
                                      JOIN pg_attribute AS ca ON ca.attrelid = c.conrelid AND ca.attnum = k.fk_att
                                      JOIN pg_attribute AS pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pk_att)), ' OR ')
            INTO referenced_by
            FROM pg_constraint AS c
            WHERE c.contype = 'f' AND c.confrelid = p.table_name::regclass
              AND (p.cleanup = 'delete'
                   OR (SELECT a.attnum FROM pg_attribute AS a WHERE a.attrelid = c.confrelid AND a.attname = p.column_name) = ANY (c.confkey));
        ELSE
            referenced_by := NULL;
        END IF;
        COMMIT;
        -- The saved row of a delete: every column's text, keyed by name (see fk_fix.quarantine).
        -- jsonb_build_object takes at most 100 arguments: 50 columns a call, the calls joined by ||.
        row_data_of_t := 'NULL::jsonb';
        IF p.cleanup = 'delete' THEN
            SELECT string_agg(format('jsonb_build_object(%s)', g.args), ' || ' ORDER BY g.part)
            INTO row_data_of_t
            FROM (
                SELECT a.part, string_agg(format('%L, t.%I::text', a.attname, a.attname), ', ' ORDER BY a.attnum) AS args
                FROM (SELECT attname, attnum, (row_number() OVER (ORDER BY attnum) - 1) / 50 AS part
                      FROM pg_attribute
                      WHERE attrelid = p.table_name::regclass AND attnum > 0 AND NOT attisdropped) AS a
                GROUP BY a.part
            ) AS g;
        END IF;
        total := 0;
        first := 1;
        WHILE first <= cardinality(candidates) LOOP
            RAISE DEBUG 'fkharness-step %', json_build_object('event', 'start', 'step', 'cleanup_batch', 'table', p.table_name, 'column', p.column_name, 'batch', first / batch_rows + 1);
            SET LOCAL lock_timeout = '1s';
            -- Text forms that read back the same under any session settings 025 down may run with:
            -- ISO dates (never DMY/MDY-ambiguous), shortest-exact floats, postgres-style intervals.
            SET LOCAL DateStyle = 'ISO, YMD';
            SET LOCAL IntervalStyle = 'postgres';
            SET LOCAL extra_float_digits = 3;
            batch := candidates[first:first + batch_rows - 1];
            -- From here on the batch is the rows locked, and only they can be removed: in step 1b,
            -- before the FK exists, a row could otherwise turn into an orphan after the lock.
            EXECUTE format($sql$
                SELECT coalesce(array_agg(still_orphans.id), '{}') FROM (
                    SELECT t.id FROM ONLY %1$I AS t
                    WHERE t.id = ANY ($1)
                      AND %2$s
                    FOR UPDATE OF t
                ) AS still_orphans$sql$,
                p.table_name, orphan_test)
                INTO batch USING batch;
            locked := cardinality(batch);
            moved := 0;
            removed := 0;
            copied := 0;
            -- Locked FOR UPDATE, no row of another table can start referencing these (its FK check
            -- takes FOR KEY SHARE): if none does now, none will until the batch commits.
            IF locked > 0 AND referenced_by IS NOT NULL THEN
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY %I AS t WHERE t.id = ANY ($1) AND %s AND (%s))',
                               p.table_name, orphan_test, referenced_by)
                    INTO referenced USING batch;
                IF referenced THEN
                    RAISE EXCEPTION '025: rows of other tables reference orphan rows of % that 025 would %: a foreign key would cascade to them or fail. This batch was not changed.',
                                    p.table_name, CASE p.cleanup WHEN 'delete' THEN 'delete' ELSE 'change' END
                        USING ERRCODE = 'dependent_objects_still_exist',
                              HINT = 'Decide what those rows should become (024 lists the orphans), then run 025 again.';
                END IF;
            END IF;
            IF locked > 0 THEN
                EXECUTE format($sql$
                    WITH orphans AS MATERIALIZED (
                        SELECT t.id, t.%2$I AS orphan,
                               lower(btrim(t.%2$I, E' \t\r\n\u00a0')) AS normalised, %5$s AS row_data
                        FROM ONLY %1$I AS t
                        WHERE t.id = ANY ($1)
                          AND %7$s
                    ),
                    classified AS MATERIALIZED (
                        SELECT o.id, o.orphan, o.row_data,
                               least((SELECT u.user_id FROM users AS u WHERE u.user_id = o.normalised::text COLLATE %8$s), $2 ->> o.normalised) AS variant_of
                        FROM orphans AS o
                    ),
                    quarantined AS (
                        INSERT INTO fk_fix.quarantine (relationship, table_name, column_name, row_id, action,
                                                       reason_code, reason, old_value, row_data)
                        SELECT %3$L, %1$L, %2$L, c.id, %4$L,
                               fk_fix.orphan_reason_code(c.orphan, c.variant_of), fk_fix.orphan_reason(c.orphan, c.variant_of),
                               c.orphan, c.row_data
                        FROM classified AS c
                        ON CONFLICT (table_name, column_name, row_id) DO NOTHING
                        RETURNING row_id
                    ),
                    removed AS (
                        %6$s
                        WHERE t.id = ANY (ARRAY(SELECT q.row_id FROM quarantined AS q))
                        RETURNING 1
                    )
                    SELECT (SELECT count(*) FROM orphans), (SELECT count(*) FROM removed), (SELECT count(*) FROM quarantined)$sql$,
                    p.table_name, p.column_name, p.constraint_name, p.cleanup,
                    row_data_of_t,
                    CASE p.cleanup WHEN 'delete' THEN format('DELETE FROM ONLY %I AS t', p.table_name)
                                   ELSE format('UPDATE ONLY %I AS t SET %I = NULL', p.table_name, p.column_name) END,
                    orphan_test, users_collation)
                    INTO moved, removed, copied USING batch, odd_user_ids;
                -- Each copy's row removed, no more, no less (a trigger or rule that cancelled or
                -- redirected the write would break that): otherwise this batch is rolled back.
                IF removed <> copied THEN
                    RAISE EXCEPTION '025: %: % row(s) copied to the quarantine but % removed: a trigger or rule of the application changed the write. This batch was not changed.', p.table_name, copied, removed
                        USING ERRCODE = 'object_not_in_prerequisite_state',
                              HINT = 'Disable that trigger or rule for the run, or remove these orphans through the application; then run 025 again.';
                END IF;
            END IF;
            IF removed < moved THEN
                -- Orphans already in the quarantine: removed only where the copy holds the current value.
                -- The batch's ids restrict the quarantine side (its unique index): on the table side
                -- the = ANY would be evaluated again for every joined row.
                IF p.cleanup = 'delete' THEN
                    EXECUTE format('DELETE FROM ONLY %1$I AS t USING fk_fix.quarantine AS q
                                    WHERE q.table_name = %1$L AND q.column_name = %2$L AND q.action = ''delete''
                                      AND q.row_id = ANY ($1) AND t.id = q.row_id
                                      AND t.%2$I IS NOT DISTINCT FROM q.old_value',
                                   p.table_name, p.column_name) USING batch;
                ELSE
                    EXECUTE format('UPDATE ONLY %1$I AS t SET %2$I = NULL FROM fk_fix.quarantine AS q
                                    WHERE q.table_name = %1$L AND q.column_name = %2$L AND q.action = ''set_null''
                                      AND q.row_id = ANY ($1) AND t.id = q.row_id
                                      AND t.%2$I IS NOT DISTINCT FROM q.old_value',
                                   p.table_name, p.column_name) USING batch;
                END IF;
            END IF;
            total := total + moved;
            held := (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(l.relation, l.mode)) FROM pg_catalog.pg_locks AS l WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted);
            COMMIT;
            RAISE DEBUG 'fkharness-step %', json_build_object('event', 'end', 'step', 'cleanup_batch', 'table', p.table_name, 'column', p.column_name, 'batch', first / batch_rows + 1, 'rows', moved, 'locks', held);
            first := first + batch_rows;
        END LOOP;
        IF longer_than = 0 OR total > 0 THEN
            RAISE NOTICE '025: %.%: % orphan(s)% quarantined and %', p.table_name, p.column_name, total,
                CASE WHEN longer_than > 0 THEN format(' longer than %s bytes', longer_than) ELSE '' END,
                CASE p.cleanup WHEN 'delete' THEN 'their rows deleted' ELSE 'set to NULL' END;
        END IF;
    END LOOP;
END
$$;

-- Step 5: VALIDATE each FK still NOT VALID, one transaction each (never with step 3's).
CREATE OR REPLACE PROCEDURE fk_fix.validate_text_fks()
LANGUAGE plpgsql
AS $$
DECLARE
    p fk_fix.text_fk_plan;
    held json;
BEGIN
    FOR p IN SELECT * FROM fk_fix.text_fk_plan ORDER BY table_name LOOP
        RAISE DEBUG 'fkharness-step %', json_build_object('event', 'start', 'step', 'validate', 'table', p.table_name, 'column', p.column_name);
        SET LOCAL lock_timeout = '1s';
        -- The cleanup has just cleared the visibility map of every page it touched, but
        -- pg_class.relallvisible still counts them (step 2's index builds refreshed it before the
        -- cleanup): the planner would read the whole table through the new partial index with a
        -- heap fetch per row, about twice the time of the sequential scan and hashed anti-join it
        -- uses otherwise (0.53 s against 0.26 s for the nine at 1.23 million rows).
        SET LOCAL enable_indexonlyscan = off;
        IF EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = p.table_name::regclass AND conname = p.constraint_name AND NOT convalidated) THEN
            EXECUTE format('ALTER TABLE %I VALIDATE CONSTRAINT %I', p.table_name, p.constraint_name);
        END IF;
        held := (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(l.relation, l.mode)) FROM pg_catalog.pg_locks AS l WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted);
        COMMIT;
        RAISE DEBUG 'fkharness-step %', json_build_object('event', 'end', 'step', 'validate', 'table', p.table_name, 'column', p.column_name, 'locks', held);
    END LOOP;
END
$$;

COMMIT;

-- 1b. Orphans too long for an index entry, first ------------------------------------------------
-- A btree entry holds at most 2704 bytes (after compression): one longer value fails step 2's build,
-- and every rerun's. Such a value can never equal a users.user_id (users' own unique btree index
-- holds every one), so it is an orphan: quarantined and removed now, as step 4 would, before the
-- FK exists. 2000 bytes leaves room for the entry's overhead; an orphan of that length is removed
-- now rather than later, nothing else changes.
CALL fk_fix.quarantine_text_orphans(5000, 2000);

-- 2. Partial indexes, built without blocking writers, before the FKs that will use them ----------
-- CREATE INDEX CONCURRENTLY runs outside any transaction block, where SET LOCAL has no effect: the
-- session-level lock_timeout below is reset at the end of this section.
SET lock_timeout = '1s';

-- An interrupted concurrent build leaves an INVALID index that IF NOT EXISTS would keep: drop it.
DO $$
DECLARE
    leftover text;
BEGIN
    FOR leftover IN
        SELECT p.index_name
        FROM fk_fix.text_fk_plan AS p
        JOIN pg_index AS i ON i.indexrelid = to_regclass(p.index_name)
        WHERE NOT i.indisvalid AND p.index_owned
    LOOP
        EXECUTE format('DROP INDEX %I', leftover);
    END LOOP;
    -- The indexes built below are 025's (an existing one is adopted, see step 1): 025 down drops these.
    UPDATE fk_fix.text_fk_plan SET index_owned = true WHERE NOT index_owned AND to_regclass(index_name) IS NULL;
END
$$;

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_dashboard_widgets_user_id ON dashboard_widgets (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_user_preferences_user_id ON user_preferences (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_error_logs_user_id ON error_logs (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_deployment_queue_requested_by ON deployment_queue (requested_by) WHERE requested_by IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_deployment_schedules_created_by ON deployment_schedules (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_database_backups_created_by ON database_backups (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_backup_restore_history_restored_by ON backup_restore_history (restored_by) WHERE restored_by IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_migration_rollback_audit_initiated_by ON migration_rollback_audit (initiated_by) WHERE initiated_by IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_artifact_versions_created_by ON artifact_versions (created_by) WHERE created_by IS NOT NULL;

RESET lock_timeout;

-- 3. Constraints, NOT VALID: new orphans are refused from here on ---------------------------------
CALL fk_fix.add_text_fks_not_valid();

-- 4. Quarantine and clean the old orphans --------------------------------------------------------
CALL fk_fix.quarantine_text_orphans(5000, 0);

-- 5. Validate: the old rows are now checked too ----------------------------------------------------
CALL fk_fix.validate_text_fks();

RESET statement_timeout;
RESET idle_in_transaction_session_timeout;
RESET row_security;
RESET default_transaction_isolation;
RESET max_parallel_maintenance_workers;
RESET max_parallel_workers_per_gather;
RESET search_path;
