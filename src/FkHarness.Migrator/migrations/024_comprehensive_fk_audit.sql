-- 024_comprehensive_fk_audit.sql — audit of the fifteen relationships of the FK fix plan.
--
-- What it does: reads only. Three result sets:
--   1. the foreign keys that exist now (table_name, constraint_name, definition, validated);
--   2. per relationship of the plan's findings table: rows, NULLs and orphans, in a column named
--      orphan_count (the plan greps for it), with the orphans broken down by kind;
--   3. index coverage of the fifteen columns (table_name, column_name, index_name, has_index).
-- Orphan, as 025/026 will treat it:
--   TEXT → users.user_id: a value that is NOT NULL and equals no users.user_id exactly. So ''
--     and case or whitespace variants of a real id ('USR_A1', ' usr_a1 ') are orphans; they are
--     counted apart (empty_string_count, variant_count) because a human may want to repair them.
--     A variant differs only in case and in surrounding spaces, tabs, line breaks or no-break
--     spaces (plain btrim() strips only spaces).
--   BIGINT[] → id: a row whose array holds an element that is NULL or matches no id (NULL
--     elements are rejected by 026, see 026's header). Empty and NULL arrays are not orphans.
--   External ids (error_logs.session_id, sync_events.client_id) have no FK by design: never orphans.
-- Anti-joins are NOT EXISTS: NOT IN (subquery) finds nothing as soon as users.user_id holds a NULL.
-- Locks: ACCESS SHARE on the tables read. Safe to run any number of times, on a live database.
-- Usage: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f 024_comprehensive_fk_audit.sql > audit_results.txt

-- Names resolve in public whatever the session's search_path (empty after a data-only restore; a
-- schema named like the role, or a tenant schema, may hold its own users): see 025. Reset at the end.
SET search_path = pg_catalog, public, pg_temp;
-- Counts every row or fails: a role subject to row-level security gets 42501 instead of counts of
-- the rows a policy lets it see (which would hide orphans, or show valid rows as orphans).
SET row_security = off;

-- 1. Foreign keys present now.
SELECT c.conrelid::regclass::text AS table_name,
       c.conname                  AS constraint_name,
       pg_get_constraintdef(c.oid) AS definition,
       c.convalidated             AS validated
FROM pg_constraint AS c
WHERE c.contype = 'f'
  AND c.connamespace = 'public'::regnamespace
ORDER BY 1, 2;

-- 2. Orphans per relationship.
-- TEXT orphans exactly as the FKs 025 adds will see them: the rows of each table itself (an FK is
-- not inherited, so not those of an inheritance child; a partitioned table's are its partitions'),
-- the value as text compared in users.user_id's collation (each value is given the default
-- collation here, which an implicit collation of users.user_id overrides: with a case-insensitive
-- one there, case variants are matches), against the rows of users itself (or its partitions).
WITH inheritance_children AS (
    SELECT h.inhrelid AS relid
    FROM pg_inherits AS h
    JOIN pg_class AS parent ON parent.oid = h.inhparent AND parent.relkind <> 'p'
),
text_refs AS (
    SELECT 1 AS finding_id, t.user_id::text COLLATE "default" AS value FROM dashboard_widgets AS t WHERE t.tableoid NOT IN (SELECT i.relid FROM inheritance_children AS i)
    UNION ALL SELECT 2, t.user_id::text COLLATE "default" FROM user_preferences AS t WHERE t.tableoid NOT IN (SELECT i.relid FROM inheritance_children AS i)
    UNION ALL SELECT 3, t.user_id::text COLLATE "default" FROM error_logs AS t WHERE t.tableoid NOT IN (SELECT i.relid FROM inheritance_children AS i)
    UNION ALL SELECT 4, t.requested_by::text COLLATE "default" FROM deployment_queue AS t WHERE t.tableoid NOT IN (SELECT i.relid FROM inheritance_children AS i)
    UNION ALL SELECT 5, t.created_by::text COLLATE "default" FROM deployment_schedules AS t WHERE t.tableoid NOT IN (SELECT i.relid FROM inheritance_children AS i)
    UNION ALL SELECT 6, t.created_by::text COLLATE "default" FROM database_backups AS t WHERE t.tableoid NOT IN (SELECT i.relid FROM inheritance_children AS i)
    UNION ALL SELECT 7, t.restored_by::text COLLATE "default" FROM backup_restore_history AS t WHERE t.tableoid NOT IN (SELECT i.relid FROM inheritance_children AS i)
    UNION ALL SELECT 8, t.initiated_by::text COLLATE "default" FROM migration_rollback_audit AS t WHERE t.tableoid NOT IN (SELECT i.relid FROM inheritance_children AS i)
    UNION ALL SELECT 9, t.created_by::text COLLATE "default" FROM artifact_versions AS t WHERE t.tableoid NOT IN (SELECT i.relid FROM inheritance_children AS i)
),
text_orphans AS (
    SELECT r.finding_id, r.value
    FROM text_refs AS r
    WHERE r.value IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM users AS u
                      WHERE u.user_id = r.value AND u.tableoid NOT IN (SELECT i.relid FROM inheritance_children AS i))
),
normalised_user_ids AS (
    SELECT DISTINCT lower(btrim(u.user_id, E' \t\r\n\u00a0')) AS normalised
    FROM users AS u
    WHERE u.user_id IS NOT NULL
),
text_counts AS (
    SELECT t.finding_id,
           count(*) AS orphan_count,
           count(*) FILTER (WHERE t.value = '') AS empty_string_count,
           count(*) FILTER (WHERE t.value <> '' AND n.normalised IS NOT NULL) AS variant_count,
           count(*) FILTER (WHERE t.value <> '' AND n.normalised IS NULL) AS missing_count
    FROM text_orphans AS t
    LEFT JOIN normalised_user_ids AS n ON n.normalised = lower(btrim(t.value, E' \t\r\n\u00a0'))
    GROUP BY t.finding_id
),
text_totals AS (
    SELECT r.finding_id, count(*) AS total_rows, count(*) FILTER (WHERE r.value IS NULL) AS null_count
    FROM text_refs AS r
    GROUP BY r.finding_id
),
array_refs AS (
    SELECT 10 AS finding_id, id AS row_id, approved_by AS ids FROM deployment_approvals
    UNION ALL SELECT 11, id, user_ids FROM alert_escalations
    UNION ALL SELECT 12, id, allowed_approvers FROM approval_rules
    UNION ALL SELECT 13, id, condition_ids FROM alert_condition_groups
),
array_elements AS (
    SELECT r.finding_id, r.row_id, e.element
    FROM array_refs AS r
    CROSS JOIN LATERAL unnest(r.ids) AS e (element)
),
-- A NULL element matches no id, so NOT EXISTS keeps it: NULL elements count as invalid.
invalid_elements AS (
    SELECT a.finding_id, a.row_id, a.element
    FROM array_elements AS a
    WHERE a.finding_id IN (10, 11, 12)
      AND NOT EXISTS (SELECT 1 FROM users AS u WHERE u.id = a.element)
    UNION ALL
    SELECT a.finding_id, a.row_id, a.element
    FROM array_elements AS a
    WHERE a.finding_id = 13
      AND NOT EXISTS (SELECT 1 FROM alert_conditions AS c WHERE c.id = a.element)
),
array_counts AS (
    SELECT i.finding_id,
           count(DISTINCT i.row_id) AS orphan_count,
           count(DISTINCT i.row_id) FILTER (WHERE i.element IS NULL) AS null_element_rows,
           count(DISTINCT i.row_id) FILTER (WHERE i.element IS NOT NULL) AS missing_count,
           count(*) FILTER (WHERE i.element IS NOT NULL) AS invalid_element_count
    FROM invalid_elements AS i
    GROUP BY i.finding_id
),
array_totals AS (
    SELECT r.finding_id, count(*) AS total_rows, count(*) FILTER (WHERE r.ids IS NULL) AS null_count
    FROM array_refs AS r
    GROUP BY r.finding_id
),
external_totals AS (
    SELECT 14 AS finding_id, count(*) AS total_rows, count(*) FILTER (WHERE session_id IS NULL) AS null_count FROM error_logs
    UNION ALL
    SELECT 15, count(*), count(*) FILTER (WHERE client_id IS NULL) FROM sync_events
),
findings (finding_id, source_table, source_column, target, kind) AS (
    VALUES
        (1, 'dashboard_widgets', 'user_id', 'users.user_id', 'text_fk_required'),
        (2, 'user_preferences', 'user_id', 'users.user_id', 'text_fk_required'),
        (3, 'error_logs', 'user_id', 'users.user_id', 'text_fk_nullable'),
        (4, 'deployment_queue', 'requested_by', 'users.user_id', 'text_fk_nullable'),
        (5, 'deployment_schedules', 'created_by', 'users.user_id', 'text_fk_nullable'),
        (6, 'database_backups', 'created_by', 'users.user_id', 'text_fk_nullable'),
        (7, 'backup_restore_history', 'restored_by', 'users.user_id', 'text_fk_nullable'),
        (8, 'migration_rollback_audit', 'initiated_by', 'users.user_id', 'text_fk_nullable'),
        (9, 'artifact_versions', 'created_by', 'users.user_id', 'text_fk_nullable'),
        (10, 'deployment_approvals', 'approved_by', 'users.id', 'array_fk'),
        (11, 'alert_escalations', 'user_ids', 'users.id', 'array_fk'),
        (12, 'approval_rules', 'allowed_approvers', 'users.id', 'array_fk'),
        (13, 'alert_condition_groups', 'condition_ids', 'alert_conditions.id', 'array_fk'),
        (14, 'error_logs', 'session_id', NULL, 'external_id'),
        (15, 'sync_events', 'client_id', NULL, 'external_id')
)
SELECT f.finding_id,
       f.source_table || '.' || f.source_column || coalesce(' -> ' || f.target, ' (external id, no FK)') AS relationship,
       f.source_table,
       f.source_column,
       f.kind,
       coalesce(tt.total_rows, at.total_rows, et.total_rows, 0)::bigint AS total_rows,
       coalesce(tt.null_count, at.null_count, et.null_count, 0)::bigint AS null_count,
       coalesce(tc.orphan_count, ac.orphan_count, 0)::bigint AS orphan_count,
       coalesce(tc.empty_string_count, 0)::bigint AS empty_string_count,
       coalesce(tc.variant_count, 0)::bigint AS variant_count,
       coalesce(tc.missing_count, ac.missing_count, 0)::bigint AS missing_count,
       coalesce(ac.null_element_rows, 0)::bigint AS null_element_rows,
       coalesce(ac.invalid_element_count, 0)::bigint AS invalid_element_count
FROM findings AS f
LEFT JOIN text_totals AS tt ON tt.finding_id = f.finding_id
LEFT JOIN text_counts AS tc ON tc.finding_id = f.finding_id
LEFT JOIN array_totals AS at ON at.finding_id = f.finding_id
LEFT JOIN array_counts AS ac ON ac.finding_id = f.finding_id
LEFT JOIN external_totals AS et ON et.finding_id = f.finding_id
ORDER BY f.finding_id;

-- 3. Index coverage: a valid index whose first key column is the referencing column.
SELECT c.table_name,
       c.column_name,
       i.index_name,
       i.index_name IS NOT NULL AS has_index
FROM (
    VALUES
        ('dashboard_widgets', 'user_id'),
        ('user_preferences', 'user_id'),
        ('error_logs', 'user_id'),
        ('deployment_queue', 'requested_by'),
        ('deployment_schedules', 'created_by'),
        ('database_backups', 'created_by'),
        ('backup_restore_history', 'restored_by'),
        ('migration_rollback_audit', 'initiated_by'),
        ('artifact_versions', 'created_by'),
        ('deployment_approvals', 'approved_by'),
        ('alert_escalations', 'user_ids'),
        ('approval_rules', 'allowed_approvers'),
        ('alert_condition_groups', 'condition_ids'),
        ('error_logs', 'session_id'),
        ('sync_events', 'client_id')
) AS c (table_name, column_name)
LEFT JOIN LATERAL (
    SELECT min(x.indexrelid::regclass::text) AS index_name
    FROM pg_index AS x
    JOIN pg_attribute AS a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
    WHERE x.indrelid = to_regclass(c.table_name)
      AND a.attname = c.column_name
      AND x.indisvalid
) AS i ON true
ORDER BY c.table_name, c.column_name;

RESET search_path;
RESET row_security;
