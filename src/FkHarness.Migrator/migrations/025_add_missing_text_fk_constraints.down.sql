-- 025_add_missing_text_fk_constraints.down.sql — undo 025, data included.
--
-- What it does:
--   1. Drops the FKs 025 created (fk_fix.text_fk_plan.fk_owned), one short transaction each.
--   2. Puts back every row 025 deleted and every value it set to NULL, from fk_fix.quarantine,
--      exactly: each saved column's text goes through its type's input function (see below).
--      A quarantine row is removed only once its data is back. What cannot go back stays in
--      fk_fix.quarantine, its reason in restore_failure, with a WARNING naming table, id and
--      reason, and down carries on: it never stops half-way over a row.
--   3. Drops the partial indexes 025 created (fk_fix.text_fk_plan.index_owned).
--   4. Drops 025's routines and plan, the quarantine once empty, and the fk_fix schema once empty.
-- Only what 025 created: an index or FK that was there before 025, exactly as 025 would have made
--   it, was adopted by up and is left in place here. Without fk_fix.text_fk_plan (025 never got
--   past its preconditions, or this script already finished) no index or FK is dropped, so this
--   script is safe on a database where 025 ran only in part, or not at all.
-- Restoring, case by case (each decided so that down finishes and nothing is lost or guessed):
--   - Every type exactly: json as written, arrays with their bounds and dimensions, floats and
--     NaN/Infinity, numeric scale, timestamps, bytea, domains (their checks apply), enums, composites.
--   - A column added since 025: left out of the INSERT, so it gets its default (NULL if none), as
--     the row would have had. NOT NULL without a default: the INSERT fails, the row stays.
--   - A generated column: never written; PostgreSQL computes it. An identity column GENERATED
--     ALWAYS: written with OVERRIDING SYSTEM VALUE (the row keeps its id).
--   - A column dropped or renamed since 025 whose saved value is not NULL: the row stays (its value
--     would have nowhere to go). A saved NULL is no loss: the row goes back without it.
--   - The row's id taken by a new row, a CHECK/UNIQUE/FK/NOT NULL/domain that now refuses the row or
--     value, a column whose type changed and cannot read the saved text, the table gone: it stays.
--   - A nulled value the application has set since: kept (newer than ours); the quarantine row
--     stays, with the value found. A row deleted since: stays. A value the application set back to
--     the very value 025 took: counted as restored.
--   - The application's triggers fire, as for any INSERT or UPDATE (down does not disable them: that
--     takes a superuser, and would also silence the application's own FK checks). A trigger that
--     raises keeps the row in quarantine; one that changes the row (an updated_at stamp) changes
--     the restored row as it would any write. A NOTICE names the triggers a restore fires.
-- Locks: steps 1 and 3 take ACCESS EXCLUSIVE on each table (and SHARE ROW EXCLUSIVE on users) for
--   a catalog-only change; step 2 row locks. Every lock wait is capped by lock_timeout = 1s
--   (SQLSTATE 55P03 on timeout; rerun, or let the migrator retry). DROP INDEX without CONCURRENTLY:
--   only an index 025 owns may be dropped, which needs a condition, and CONCURRENTLY cannot run in
--   a DO block; the drop itself is as short as the FK's.
-- Run 026's down script first: 026 keeps objects in fk_fix too.
-- Re-runnable: yes; every step checks what is left to do. Run in autocommit mode (psql -f does).
-- Usage: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f 025_add_missing_text_fk_constraints.down.sql

-- Names resolve in public whatever the session's search_path, as in 025 up. Reset at the end.
SET search_path = pg_catalog, public, pg_temp;

-- Statement time is deliberately uncapped (lock waits are capped, per step): a server-wide
-- statement_timeout (common on staging) would kill the restore half-way. Reset at the end.
SET statement_timeout = 0;
-- Nor may a staging idle_in_transaction_session_timeout end the session between two statements of
-- one of its transactions (the client's round trip, longer on a busy machine): reset at the end too.
SET idle_in_transaction_session_timeout = 0;

-- 1. Constraints 025 created ---------------------------------------------------------------------
DO $$
DECLARE
    p record;
BEGIN
    IF to_regclass('fk_fix.text_fk_plan') IS NULL THEN
        RETURN;
    END IF;
    FOR p IN SELECT table_name, constraint_name FROM fk_fix.text_fk_plan WHERE fk_owned ORDER BY table_name LOOP
        SET LOCAL lock_timeout = '1s';
        IF EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = to_regclass('public.' || quote_ident(p.table_name)) AND conname = p.constraint_name) THEN
            EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', p.table_name, p.constraint_name);
        END IF;
        COMMIT;
    END LOOP;
END
$$;

-- 2. Data back from the quarantine, one transaction per relationship and action -------------------
DO $$
DECLARE
    g record;
    rel regclass;
    present text[];
    insertable text[];
    json_columns text[];
    col_set record;
    insert_list text;
    select_list text;
    restore_sql text;
    ids bigint[];
    one_id bigint;
    column_now boolean;
    failed record;
    shown integer;
    triggers text;
    left_over bigint;
BEGIN
    IF to_regclass('fk_fix.quarantine') IS NULL THEN
        RETURN;
    END IF;

    FOR g IN SELECT DISTINCT table_name, column_name, action FROM fk_fix.quarantine ORDER BY 1, 2, 3 LOOP
        SET LOCAL lock_timeout = '1s';
        -- The settings 025 up saved the text forms under (they read back the same under any, but
        -- an ambiguous DateStyle such as 'SQL, DMY' must not reorder a day and a month).
        SET LOCAL DateStyle = 'ISO, YMD';
        SET LOCAL IntervalStyle = 'postgres';
        SET LOCAL extra_float_digits = 3;
        -- A fresh attempt: the reasons of an earlier down are replaced by this one's.
        UPDATE fk_fix.quarantine SET restore_failure = NULL
        WHERE table_name = g.table_name AND column_name = g.column_name AND action = g.action AND restore_failure IS NOT NULL;
        rel := to_regclass('public.' || quote_ident(g.table_name));

        IF rel IS NULL THEN
            UPDATE fk_fix.quarantine SET restore_failure = format('table %s no longer exists', g.table_name)
            WHERE table_name = g.table_name AND column_name = g.column_name AND action = g.action;
        ELSE
            SELECT array_agg(a.attname::text ORDER BY a.attnum),
                   coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attgenerated = ''), '{}'),
                   -- json and jsonb (and domains over them) are the one case jsonb_populate_record
                   -- does not feed the text to the input function: they are cast from the text instead.
                   coalesce(array_agg(a.attname::text) FILTER (WHERE (
                       WITH RECURSIVE base(oid, typtype, typbasetype) AS (
                           SELECT t.oid, t.typtype, t.typbasetype FROM pg_type AS t WHERE t.oid = a.atttypid
                           UNION ALL
                           SELECT t.oid, t.typtype, t.typbasetype FROM pg_type AS t JOIN base AS b ON t.oid = b.typbasetype WHERE b.typtype = 'd'
                       )
                       SELECT bool_or(b.oid IN ('json'::regtype, 'jsonb'::regtype)) FROM base AS b)), '{}')
            INTO present, insertable, json_columns
            FROM pg_attribute AS a
            WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped;
            SELECT string_agg(tgname, ', ' ORDER BY tgname) INTO triggers
            FROM pg_trigger WHERE tgrelid = rel AND NOT tgisinternal AND tgenabled <> 'D';
            IF triggers IS NOT NULL THEN
                RAISE NOTICE '025 down: restoring into % fires its trigger(s) %, as any % would', g.table_name, triggers,
                    CASE g.action WHEN 'delete' THEN 'INSERT' ELSE 'UPDATE' END;
            END IF;

            IF g.action = 'delete' THEN
                -- A saved value that is not NULL, of a column that is gone, has nowhere to go.
                UPDATE fk_fix.quarantine AS q
                SET restore_failure = format('column(s) %s no longer exist in %s (dropped or renamed since 025); their saved values would be lost',
                                             gone.names, g.table_name)
                FROM (
                    SELECT q2.id, string_agg(e.key, ', ' ORDER BY e.key) AS names
                    FROM fk_fix.quarantine AS q2
                    CROSS JOIN LATERAL jsonb_each(q2.row_data) AS e
                    WHERE q2.table_name = g.table_name AND q2.column_name = g.column_name AND q2.action = 'delete'
                      AND e.value <> 'null'::jsonb AND NOT e.key = ANY (present)
                    GROUP BY q2.id
                ) AS gone
                WHERE q.id = gone.id;

                -- Rows saved under one schema share one column list; a column added since is left
                -- out (its default applies), a generated one too (PostgreSQL computes it).
                FOR col_set IN
                    SELECT cols, array_agg(id ORDER BY id) AS ids
                    FROM (
                        SELECT q.id, ARRAY(SELECT k FROM jsonb_object_keys(q.row_data) AS k WHERE k = ANY (insertable) ORDER BY k) AS cols
                        FROM fk_fix.quarantine AS q
                        WHERE q.table_name = g.table_name AND q.column_name = g.column_name AND q.action = 'delete'
                          AND q.restore_failure IS NULL
                    ) AS per_row
                    GROUP BY cols
                LOOP
                    SELECT string_agg(quote_ident(c), ', '),
                           string_agg(CASE WHEN c = ANY (json_columns)
                                           THEN format('(q.row_data ->> %L)::%s', c,
                                                       (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = rel AND attname = c))
                                           ELSE format('r.%I', c) END, ', ')
                    INTO insert_list, select_list
                    FROM unnest(col_set.cols) AS c;
                    -- The row as it was: jsonb_populate_record feeds each saved text to the column
                    -- type's input function, with the column's typmod.
                    restore_sql := format($sql$
                        WITH back AS (
                            INSERT INTO %1$s (%2$s) OVERRIDING SYSTEM VALUE
                            SELECT %3$s
                            FROM fk_fix.quarantine AS q
                            CROSS JOIN LATERAL jsonb_populate_record(NULL::%1$s, q.row_data) AS r
                            WHERE q.id = ANY ($1)
                            RETURNING id
                        )
                        DELETE FROM fk_fix.quarantine AS q USING back AS b
                        WHERE q.id = ANY ($1) AND q.row_id = b.id$sql$,
                        rel, insert_list, select_list);
                    ids := col_set.ids;
                    BEGIN
                        EXECUTE restore_sql USING ids;
                    EXCEPTION
                        -- A lock wait is not the row's fault: the script fails and is rerun (the migrator retries it).
                        WHEN lock_not_available OR deadlock_detected THEN
                            RAISE;
                        WHEN OTHERS THEN
                        -- One row refused: the others still go back, each on its own.
                        FOREACH one_id IN ARRAY ids LOOP
                            BEGIN
                                EXECUTE restore_sql USING ARRAY[one_id];
                            EXCEPTION
                                WHEN lock_not_available OR deadlock_detected THEN
                                    RAISE;
                                WHEN OTHERS THEN
                                UPDATE fk_fix.quarantine SET restore_failure = format('%s (SQLSTATE %s)', SQLERRM, SQLSTATE) WHERE id = one_id;
                            END;
                        END LOOP;
                    END;
                END LOOP;
            ELSE
                column_now := g.column_name = ANY (insertable);
                IF NOT column_now THEN
                    UPDATE fk_fix.quarantine
                    SET restore_failure = format('column %s.%s no longer exists, or is generated (dropped, renamed or changed since 025)', g.table_name, g.column_name)
                    WHERE table_name = g.table_name AND column_name = g.column_name AND action = 'set_null';
                ELSE
                    -- Only where the value is still NULL: a value the application set since is newer
                    -- than ours and is kept. One that equals ours is back already.
                    restore_sql := format($sql$
                        WITH back AS (
                            UPDATE %1$s AS t SET %2$I = q.old_value
                            FROM fk_fix.quarantine AS q
                            WHERE q.id = ANY ($1) AND t.id = q.row_id AND t.%2$I IS NULL
                            RETURNING q.id
                        ),
                        already AS (
                            SELECT q.id FROM fk_fix.quarantine AS q JOIN %1$s AS t ON t.id = q.row_id
                            WHERE q.id = ANY ($1) AND t.%2$I::text = q.old_value
                        )
                        DELETE FROM fk_fix.quarantine AS q
                        WHERE q.id IN (SELECT id FROM back UNION ALL SELECT id FROM already)$sql$,
                        rel, g.column_name);
                    SELECT array_agg(id ORDER BY id) INTO ids FROM fk_fix.quarantine
                    WHERE table_name = g.table_name AND column_name = g.column_name AND action = 'set_null';
                    BEGIN
                        EXECUTE restore_sql USING ids;
                    EXCEPTION
                        WHEN lock_not_available OR deadlock_detected THEN
                            RAISE;
                        WHEN OTHERS THEN
                        FOREACH one_id IN ARRAY ids LOOP
                            BEGIN
                                EXECUTE restore_sql USING ARRAY[one_id];
                            EXCEPTION
                                WHEN lock_not_available OR deadlock_detected THEN
                                    RAISE;
                                WHEN OTHERS THEN
                                UPDATE fk_fix.quarantine SET restore_failure = format('%s (SQLSTATE %s)', SQLERRM, SQLSTATE) WHERE id = one_id;
                            END;
                        END LOOP;
                    END;
                    -- What is left and was not refused: the row is gone, or holds a newer value.
                    EXECUTE format($sql$
                        UPDATE fk_fix.quarantine AS q
                        SET restore_failure = CASE WHEN NOT EXISTS (SELECT 1 FROM %1$s AS t WHERE t.id = q.row_id)
                                                   THEN 'row deleted since 025'
                                                   ELSE format('value changed since 025 to %%L; kept', (SELECT t.%2$I::text FROM %1$s AS t WHERE t.id = q.row_id)) END
                        WHERE q.table_name = %3$L AND q.column_name = %2$L AND q.action = 'set_null' AND q.restore_failure IS NULL$sql$,
                        rel, g.column_name, g.table_name);
                END IF;
            END IF;
        END IF;

        -- Every row that stays, by name: the first 20 of each relationship, then a count.
        shown := 0;
        FOR failed IN
            SELECT row_id, restore_failure FROM fk_fix.quarantine
            WHERE table_name = g.table_name AND column_name = g.column_name AND action = g.action AND restore_failure IS NOT NULL
            ORDER BY row_id
        LOOP
            shown := shown + 1;
            IF shown <= 20 THEN
                RAISE WARNING '025 down: %.% id % not restored (%), kept in fk_fix.quarantine: %', g.table_name, g.column_name, failed.row_id,
                    CASE g.action WHEN 'delete' THEN 'deleted row' ELSE 'nulled value' END, failed.restore_failure;
            END IF;
        END LOOP;
        IF shown > 20 THEN
            RAISE WARNING '025 down: %.%: % more not restored; see fk_fix.quarantine.restore_failure', g.table_name, g.column_name, shown - 20;
        END IF;
        COMMIT;
    END LOOP;

    SELECT count(*) INTO left_over FROM fk_fix.quarantine;
    IF left_over > 0 THEN
        RAISE WARNING '025 down: % quarantined row(s) could not be restored; they stay in fk_fix.quarantine (column restore_failure says why); fix what refused them and rerun this script', left_over;
    END IF;
END
$$;

-- 3. Indexes 025 created -------------------------------------------------------------------------
DO $$
DECLARE
    p record;
BEGIN
    IF to_regclass('fk_fix.text_fk_plan') IS NULL THEN
        RETURN;
    END IF;
    FOR p IN SELECT index_name FROM fk_fix.text_fk_plan WHERE index_owned ORDER BY table_name LOOP
        SET LOCAL lock_timeout = '1s';
        IF to_regclass('public.' || quote_ident(p.index_name)) IS NOT NULL THEN
            EXECUTE format('DROP INDEX public.%I', p.index_name);
        END IF;
        COMMIT;
    END LOOP;
END
$$;

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
RESET idle_in_transaction_session_timeout;
RESET search_path;
